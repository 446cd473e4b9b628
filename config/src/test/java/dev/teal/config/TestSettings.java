package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

/** Settings texts and helpers shared by the loader's tests. */
final class TestSettings {
    /** The minimal operator file of issue 2. */
    static final String MINIMAL = """
            teal {
              listen = "0.0.0.0:8080"
              colors {
                blue  { backends = ["10.0.0.11:8080", "10.0.0.12:8080"], health-check.path = "/health" }
                green { backends = ["10.0.1.11:8080"] }
              }
              split.green = 0          # percent of new sessions to green (the ramp issue makes this live)
            }
            """;

    static InvalidSettingsException invalid(String hocon, Map<String, String> environment) {
        InvalidSettingsException e =
                catchThrowableOfType(() -> SettingsLoader.parse(hocon, environment), InvalidSettingsException.class);
        assertThat(e).as("settings that should not load: %s", hocon).isNotNull();
        return e;
    }

    private TestSettings() {}
}
