package dev.teal.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code teal.rollout.plan} into {@link PlanSettings}, reporting every problem on the way. Steps and
 * webhooks are lists, which reference.conf cannot describe key by key: their elements are checked here.
 */
final class PlanSettingsReader {
    private static final List<String> STEP_KEYS = List.of("percent", "hold");
    private static final List<String> WEBHOOK_KEYS = List.of("url", "timeout");
    private static final Duration GATE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(5);
    private static final String STEP = "a percentage 1-100, or { percent = 25, hold = 30m }";
    private static final String PERCENT = "an integer percentage 1-100";
    private static final String WEBHOOK = "an object such as { url = \"http://gate.internal/check\", timeout = 10s }";
    private static final String RATE = "a percentage such as 1% or 0.5% (0-100 %)";
    private static final String RATIO = "a factor such as 2x or 1.5x (at least 1x)";
    private static final Pattern PERCENTAGE = Pattern.compile("([0-9]{1,3}(?:\\.[0-9]{1,6})?) ?%");
    private static final Pattern FACTOR = Pattern.compile("([0-9]{1,6}(?:\\.[0-9]{1,6})?) ?x");

    private final Problems problems;

    PlanSettingsReader(Problems problems) {
        this.problems = requireNonNull(problems, "problems");
    }

    /** The settings, or null when a problem was reported. */
    PlanSettings read(SettingsNode node) {
        List<PlanSettings.Step> steps = steps(node);
        Duration hold = node.positiveDuration("hold");
        Integer minSessions = node.integer("min-sessions", 0, 1_000_000_000, "an integer 0-1000000000");
        AnalysisSettings analysis = analysis(node.child("analysis"));
        PlanSettings.OnFailure onFailure = node.oneOf("on-failure", PlanSettings.OnFailure.class);
        Boolean force = node.bool("rollback-force");
        List<PlanSettings.Webhook> notifications = webhooks(node, "notify", NOTIFY_TIMEOUT);
        return node.build(() -> new PlanSettings(steps, hold, minSessions, analysis, onFailure, force, notifications));
    }

    private AnalysisSettings analysis(SettingsNode node) {
        Double rate = node.parsed("max-error-rate", PlanSettingsReader::rate, RATE);
        Double vsOld = node.parsed("max-error-rate-vs-old", PlanSettingsReader::factor, RATIO);
        Double p99 = node.parsed("max-p99-vs-old", PlanSettingsReader::factor, RATIO);
        Duration tolerance = node.parsed("p99-tolerance", PlanSettingsReader::tolerance, TOLERANCE);
        Duration window = node.positiveDuration("window");
        if (window != null && window.compareTo(AnalysisSettings.MAX_WINDOW) > 0) {
            node.problem("window", node.rawAt("window"), "a duration of at most 24h, such as 5m");
        }
        List<PlanSettings.Webhook> webhooks = webhooks(node, "webhooks", GATE_TIMEOUT);
        return node.build(() -> new AnalysisSettings(rate, vsOld, p99, tolerance, window, webhooks));
    }

    private static final String TOLERANCE = "a duration such as 5ms, or 0s";

    static Duration tolerance(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || !Character.isLetter(trimmed.charAt(trimmed.length() - 1))) {
            throw new UnexpectedValueException(text, TOLERANCE);
        }
        try {
            Duration d = com.typesafe.config.ConfigFactory.parseString("v = \"" + trimmed.replace("\"", "") + "\"")
                    .getDuration("v");
            if (d.isNegative()) {
                throw new UnexpectedValueException(text, TOLERANCE);
            }
            return d;
        } catch (com.typesafe.config.ConfigException e) {
            throw new UnexpectedValueException(text, TOLERANCE);
        }
    }

    static double rate(String text) {
        Matcher m = PERCENTAGE.matcher(text.trim());
        if (!m.matches()) {
            throw new UnexpectedValueException(text, RATE);
        }
        BigDecimal percent = new BigDecimal(m.group(1));
        if (percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new UnexpectedValueException(text, RATE);
        }
        return percent.doubleValue() / 100;
    }

    static double factor(String text) {
        Matcher m = FACTOR.matcher(text.trim());
        if (!m.matches()) {
            throw new UnexpectedValueException(text, RATIO);
        }
        double factor = Double.parseDouble(m.group(1));
        if (factor < 1) {
            throw new UnexpectedValueException(text, RATIO);
        }
        return factor;
    }

    private List<PlanSettings.Step> steps(SettingsNode node) {
        List<ConfigValue> values = node.list("steps", "a list of percentages such as [1, 5, 25, 50, 100]");
        if (values == null) {
            return null;
        }
        List<PlanSettings.Step> steps = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            String key = "steps[" + i + "]";
            ConfigValue value = values.get(i);
            PlanSettings.Step step = null;
            if (value instanceof ConfigObject) {
                SettingsNode element = SettingsNode.element(value, node.path() + "." + key, problems, STEP);
                element.reportUnknown(STEP_KEYS);
                Integer percent = element.integer("percent", 1, 100, PERCENT);
                Duration hold = element.has("hold") ? element.positiveDuration("hold") : null;
                boolean holdValid = !element.has("hold") || hold != null;
                step = percent == null || !holdValid ? null : new PlanSettings.Step(percent, hold);
            } else {
                Long percent = value.unwrapped() instanceof Integer || value.unwrapped() instanceof Long
                        ? ((Number) value.unwrapped()).longValue()
                        : null;
                if (percent == null || percent < 1 || percent > 100) {
                    node.problem(key, SettingsNode.shown(value), STEP);
                } else {
                    step = new PlanSettings.Step(percent.intValue(), null);
                }
            }
            if (step == null) {
                valid = false;
                continue;
            }
            if (!steps.isEmpty()
                    && step.percent() <= steps.get(steps.size() - 1).percent()) {
                node.problem(
                        key,
                        Integer.toString(step.percent()),
                        "a percentage above the step before it, "
                                + steps.get(steps.size() - 1).percent() + " (steps increase strictly)");
                valid = false;
            }
            steps.add(step);
        }
        if (valid && !steps.isEmpty() && steps.get(steps.size() - 1).percent() != 100) {
            node.problem(
                    "steps",
                    steps.stream()
                            .map(s -> Integer.toString(s.percent()))
                            .toList()
                            .toString(),
                    "a last step of 100 (a plan ends with every new session on new)");
            valid = false;
        }
        return valid ? steps : null;
    }

    private List<PlanSettings.Webhook> webhooks(SettingsNode node, String key, Duration defaultTimeout) {
        List<ConfigValue> values = node.list(key, "a list of webhooks: [ { url = \"http://...\" } ]");
        if (values == null) {
            return null;
        }
        List<PlanSettings.Webhook> webhooks = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            String at = key + "[" + i + "]";
            SettingsNode element = SettingsNode.element(values.get(i), node.path() + "." + at, problems, WEBHOOK);
            if (!(values.get(i) instanceof ConfigObject)) {
                valid = false;
                continue;
            }
            element.reportUnknown(WEBHOOK_KEYS);
            URI url = element.parsed("url", PlanSettingsReader::httpUrl, HTTP_URL);
            Duration timeout = element.has("timeout") ? element.positiveDuration("timeout") : defaultTimeout;
            PlanSettings.Webhook webhook = element.build(() -> new PlanSettings.Webhook(url, timeout));
            if (webhook == null) {
                valid = false;
            } else {
                webhooks.add(webhook);
            }
        }
        return valid ? webhooks : null;
    }

    private static final String HTTP_URL =
            "an absolute http:// or https:// URL, such as \"http://gate.internal/check\"";

    private static URI httpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                throw new UnexpectedValueException(text, HTTP_URL);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UnexpectedValueException(text, HTTP_URL + " (" + e.getReason() + ")");
        }
    }
}
