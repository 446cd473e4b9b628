package dev.teal.admin.api;

import dev.teal.config.Color;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Strict query parameters: every name must be one the endpoint accepts, each at most once, each value of
 * the expected form. Anything else is a 400 naming the parameter and what is accepted, before anything
 * happens.
 */
final class QueryParams {
    private final Map<String, List<String>> values;

    private QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /** @throws ApiException 400 for an unknown or repeated parameter */
    static QueryParams parse(ApiRequest request, List<String> accepted) {
        Map<String, List<String>> values = request.query();
        for (Map.Entry<String, List<String>> entry : values.entrySet()) {
            String name = entry.getKey();
            if (!accepted.contains(name)) {
                throw ApiError.badRequest("'" + ApiRequest.abbreviate(name) + "': unknown parameter (expected: "
                                + (accepted.isEmpty() ? "no parameters" : String.join(", ", accepted)) + ")")
                        .exception();
            }
            if (entry.getValue().size() > 1) {
                throw ApiError.badRequest(
                                name + ": given " + entry.getValue().size() + " times (expected: at most once)")
                        .exception();
            }
        }
        return new QueryParams(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    /** An integer in {@code min..max}, written in plain decimal digits. */
    Optional<Integer> integer(String name, int min, int max) {
        return value(name).map(value -> {
            String expected = " (expected: an integer " + min + "-" + max + ")";
            if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw ApiError.badRequest(name + ": '" + ApiRequest.abbreviate(value) + "'" + expected)
                        .exception();
            }
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw ApiError.badRequest(name + ": " + parsed + expected).exception();
            }
            return parsed;
        });
    }

    /** {@code true} or {@code false}, exactly; {@code fallback} when absent. */
    boolean bool(String name, boolean fallback) {
        return value(name)
                .map(value -> {
                    if (value.equals("true")) {
                        return true;
                    }
                    if (value.equals("false")) {
                        return false;
                    }
                    throw ApiError.badRequest(
                                    name + ": '" + ApiRequest.abbreviate(value) + "' (expected: true or false)")
                            .exception();
                })
                .orElse(fallback);
    }

    Optional<Color> color(String name) {
        return value(name).map(value -> Color.parse(value).orElseThrow(() -> ApiError.badRequest(
                        name + ": '" + ApiRequest.abbreviate(value) + "' (expected: blue or green)")
                .exception()));
    }
}
