package dev.teal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Map;

/**
 * The environment variables that override both reference.conf and the operator's file: secrets and
 * addresses, which a deployment sets per machine rather than in a shared file. reference.conf names
 * each beside its setting (where its {@code ${?VAR}} also supplies the default).
 */
final class EnvironmentOverrides {
    private enum Shape {
        TEXT,
        ONE_ELEMENT_LIST
    }

    private record Override(String variable, String path, Shape shape) {}

    private static final List<Override> OVERRIDES = List.of(
            new Override("TEAL_LISTEN", "teal.listen", Shape.TEXT),
            new Override("TEAL_TLS_LISTEN", "teal.tls.listen", Shape.TEXT),
            new Override("TEAL_STATE_DIR", "teal.state-dir", Shape.TEXT),
            new Override("TEAL_COOKIE_SECRET", "teal.sessions.cookie.secrets", Shape.ONE_ELEMENT_LIST),
            new Override("TEAL_ADMIN_LISTEN", "teal.admin.listen", Shape.TEXT),
            new Override("TEAL_ADMIN_TOKEN", "teal.admin.token", Shape.TEXT));

    private EnvironmentOverrides() {}

    /** The variables, for documentation and tests. */
    static List<String> variables() {
        return OVERRIDES.stream().map(Override::variable).toList();
    }

    /** The resolved settings with each variable that is set (even to "") put over its setting. */
    static Config apply(Config settings, Map<String, String> environment) {
        Config result = settings;
        for (Override override : OVERRIDES) {
            String value = environment.get(override.variable());
            if (value != null && canHold(result.root(), override.path())) {
                String origin = SettingsNode.ENVIRONMENT_ORIGIN + " " + override.variable();
                ConfigValue configValue = override.shape() == Shape.TEXT
                        ? ConfigValueFactory.fromAnyRef(value, origin)
                        : ConfigValueFactory.fromIterable(List.of(value), origin);
                result = result.withValue(override.path(), configValue);
            }
        }
        return result;
    }

    /**
     * False when an object on the way to the path is something else in the operator's file: then the
     * reader reports that mistake, which the override would otherwise paper over.
     */
    private static boolean canHold(ConfigObject root, String path) {
        List<String> keys = ConfigUtil.splitPath(path);
        ConfigObject current = root;
        for (String key : keys.subList(0, keys.size() - 1)) {
            ConfigValue next = current.get(key);
            if (next == null) {
                return true;
            }
            if (!(next instanceof ConfigObject)) {
                return false;
            }
            current = (ConfigObject) next;
        }
        return true;
    }
}
