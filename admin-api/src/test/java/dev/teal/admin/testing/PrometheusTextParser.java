package dev.teal.admin.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 and of OpenMetrics 1.0 text (the
 * Prometheus Java client only writes these formats, it has no parser). Any line that does not follow the
 * format fails with its line number.
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/">exposition formats</a>
 */
public final class PrometheusTextParser {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TEXT_TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Set<String> OPEN_METRICS_TYPES =
            Set.of("counter", "gauge", "histogram", "gaugehistogram", "stateset", "info", "summary", "unknown");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** One metric family: its TYPE, HELP and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {}

    private final boolean openMetrics;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private int lineNumber;

    private PrometheusTextParser(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    public static Map<String, Family> parseText(String text) {
        return new PrometheusTextParser(false).parse(text);
    }

    public static Map<String, Family> parseOpenMetrics(String text) {
        return new PrometheusTextParser(true).parse(text);
    }

    private Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition does not end with a line feed");
        }
        String[] lines = text.split("\n", -1);
        boolean eof = false;
        for (int i = 0; i < lines.length - 1; i++) {
            lineNumber = i + 1;
            String line = lines[i];
            if (eof) {
                fail("content after # EOF");
            }
            if (line.equals("# EOF") && openMetrics) {
                eof = true;
            } else if (line.isEmpty()) {
                if (openMetrics) {
                    fail("empty line (not allowed in OpenMetrics)");
                }
            } else if (line.startsWith("#")) {
                comment(line);
            } else {
                sample(line);
            }
        }
        if (openMetrics && !eof) {
            throw new IllegalArgumentException("OpenMetrics exposition does not end with # EOF");
        }
        return families;
    }

    private void comment(String line) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#")) {
            if (openMetrics) {
                fail("comment that is not HELP, TYPE or UNIT");
            }
            return;
        }
        String keyword = parts[1];
        String name = parts[2];
        switch (keyword) {
            case "TYPE" -> {
                checkName(name);
                String type = parts.length == 4 ? parts[3] : "";
                if (!(openMetrics ? OPEN_METRICS_TYPES : TEXT_TYPES).contains(type)) {
                    fail("TYPE " + name + ": unknown type '" + type + "'");
                }
                Family existing = families.get(name);
                if (existing != null
                        && (existing.type() != null || !existing.samples().isEmpty())) {
                    fail("TYPE " + name + " after its samples or given twice");
                }
                String help = existing == null ? null : existing.help();
                families.put(name, new Family(name, type, help, new ArrayList<>()));
            }
            case "HELP" -> {
                checkName(name);
                Family existing = families.get(name);
                if (existing != null && existing.help() != null) {
                    fail("HELP " + name + " given twice");
                }
                String help = parts.length == 4 ? parts[3] : "";
                families.put(
                        name,
                        new Family(
                                name,
                                existing == null ? null : existing.type(),
                                help,
                                existing == null ? new ArrayList<>() : existing.samples()));
            }
            case "UNIT" -> {
                if (!openMetrics) {
                    return;
                }
                checkName(name);
            }
            default -> {
                if (openMetrics) {
                    fail("unknown comment keyword " + keyword);
                }
            }
        }
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        checkName(name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            fail("expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            fail("expected a value and an optional timestamp");
        }
        double value = number(rest[0]);
        if (rest.length == 2) {
            number(rest[1]);
        }
        Family family = familyOf(name);
        family.samples().add(new Sample(name, labels, value));
    }

    private int labels(String line, int i, Map<String, String> labels) {
        while (true) {
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                fail("label without '='");
            }
            String labelName = line.substring(i, eq);
            if (!LABEL_NAME.matcher(labelName).matches()) {
                fail("bad label name '" + labelName + "'");
            }
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                fail("label value not quoted");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= line.length()) {
                    fail("unterminated label value");
                }
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = j + 1 < line.length() ? line.charAt(j + 1) : 0;
                    if (next == 'n') {
                        value.append('\n');
                    } else if (next == '\\' || next == '"') {
                        value.append(next);
                    } else {
                        fail("bad escape in label value");
                    }
                    j += 2;
                } else if (c == '"') {
                    j++;
                    break;
                } else {
                    value.append(c);
                    j++;
                }
            }
            if (labels.put(labelName, value.toString()) != null) {
                fail("label " + labelName + " twice");
            }
            if (j < line.length() && line.charAt(j) == ',') {
                j++;
            }
            i = j;
        }
    }

    private Family familyOf(String sampleName) {
        Family exact = families.get(sampleName);
        if (exact != null && exact.type() != null && isValidExact(exact)) {
            return exact;
        }
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info")) {
            if (sampleName.endsWith(suffix)) {
                Family family = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
                if (family != null && family.type() != null && allows(family.type(), suffix)) {
                    return family;
                }
            }
        }
        if (exact != null && exact.type() != null) {
            return exact;
        }
        if (openMetrics) {
            fail("sample " + sampleName + " without a TYPE");
        }
        // The text format allows untyped samples without TYPE.
        Family untyped = new Family(sampleName, "untyped", null, new ArrayList<>());
        families.putIfAbsent(sampleName, untyped);
        return families.get(sampleName);
    }

    private boolean isValidExact(Family family) {
        // In OpenMetrics a counter's samples always carry a suffix; in the text format the family name does.
        return !(openMetrics && family.type().equals("counter"));
    }

    private static boolean allows(String type, String suffix) {
        return switch (type) {
            case "counter" -> suffix.equals("_total") || suffix.equals("_created");
            case "histogram" -> Set.of("_bucket", "_count", "_sum", "_created").contains(suffix);
            case "gaugehistogram" -> Set.of("_bucket", "_gcount", "_gsum").contains(suffix);
            case "summary" -> Set.of("_count", "_sum", "_created").contains(suffix);
            case "info" -> suffix.equals("_info");
            default -> false;
        };
    }

    private double number(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    fail("bad number '" + text + "'");
                    return 0;
                }
        }
    }

    private void checkName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("bad metric name '" + name + "'");
        }
    }

    private void fail(String problem) {
        throw new IllegalArgumentException("line " + lineNumber + ": " + problem);
    }
}
