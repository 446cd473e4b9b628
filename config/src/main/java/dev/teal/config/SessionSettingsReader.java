package dev.teal.config;

import com.typesafe.config.ConfigValue;
import dev.teal.config.SessionSettings.CookieSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code teal.sessions} into {@link SessionSettings}, reporting every problem on the way. */
final class SessionSettingsReader {
    /** HMAC-SHA-256 keys shorter than this are guessable; the cookie codec refuses them too (CookieSecrets.MIN_LENGTH). */
    static final int MIN_SECRET_LENGTH = 32;

    private static final String COOKIE_NAME = "a cookie name (an RFC 6265 token, no spaces or separators)";

    /** The settings, or null when a problem was reported. */
    SessionSettings read(SettingsNode node) {
        SessionSettings.KeyKind key = node.oneOf("key", SessionSettings.KeyKind.class);
        CookieSettings cookie = cookie(node.child("cookie"));
        String appCookie = node.parsed(
                "app-cookie",
                text -> HttpToken.require(text, COOKIE_NAME + " such as JSESSIONID"),
                COOKIE_NAME + " such as JSESSIONID");
        String header = node.parsed(
                "header",
                text -> HttpToken.require(text, "a header name (an RFC 9110 token) such as Authorization"),
                "a header name such as Authorization");
        Duration idleTimeout = node.positiveDuration("idle-timeout");
        List<String> trustedProxies = trustedProxies(node);
        Integer maxTracked = node.integer("max-tracked", 1000, Integer.MAX_VALUE, "an integer from 1000");
        return node.build(
                () -> new SessionSettings(key, cookie, appCookie, header, idleTimeout, trustedProxies, maxTracked));
    }

    private CookieSettings cookie(SettingsNode node) {
        String name = node.parsed(
                "name", text -> HttpToken.require(text, COOKIE_NAME + " such as teal"), COOKIE_NAME + " such as teal");
        List<String> secrets = secrets(node);
        CookieSettings.Secure secure = node.oneOf("secure", CookieSettings.Secure.class);
        Optional<Duration> maxAge = node.positiveDurationOrOff("max-age");
        return node.build(() -> new CookieSettings(name, secrets, secure, maxAge));
    }

    private List<String> secrets(SettingsNode node) {
        String expected = "a secret of at least " + MIN_SECRET_LENGTH + " characters";
        List<ConfigValue> values = node.list("secrets", "a list of secrets, each at least 16 characters, or []");
        if (values == null) {
            return null;
        }
        List<String> secrets = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            ConfigValue value = values.get(i);
            String text = SettingsNode.text(value);
            if (text == null || text.length() < MIN_SECRET_LENGTH) {
                // Never echo a secret: problems are printed and logged.
                node.problem("secrets[" + i + "]", SettingsNode.hidden(value), expected);
                valid = false;
            } else {
                secrets.add(text);
            }
        }
        return valid ? secrets : null;
    }

    private List<String> trustedProxies(SettingsNode node) {
        List<ConfigValue> values =
                node.list("trusted-proxies", "a list of IP addresses or CIDR blocks, such as [\"10.0.0.0/8\"]");
        if (values == null) {
            return null;
        }
        List<String> proxies = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            ConfigValue value = values.get(i);
            String text = SettingsNode.text(value);
            if (text == null) {
                node.problem("trusted-proxies[" + i + "]", SettingsNode.shown(value), "an IP address or a CIDR block");
                valid = false;
                continue;
            }
            try {
                CidrBlock.parse(text);
                proxies.add(text);
            } catch (UnexpectedValueException e) {
                node.problem("trusted-proxies[" + i + "]", SettingsNode.shown(value), e.expected());
                valid = false;
            }
        }
        return valid ? proxies : null;
    }
}
