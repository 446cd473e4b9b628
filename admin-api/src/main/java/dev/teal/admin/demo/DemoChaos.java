package dev.teal.admin.demo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What {@code /api/chaos?error-rate=0.2} sets on a demo application: the share of its answers that are a
 * 500 instead, so that a person can watch a release plan roll a bad version back. {@code error-rate=0}
 * heals it. Health checks and the chaos call itself are never affected.
 */
final class DemoChaos {
    static final String PATH = "/api/chaos";

    private volatile double errorRate;

    /** Whether this request gets a 500 instead of its answer. */
    boolean strikes() {
        double rate = errorRate;
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    double errorRate() {
        return errorRate;
    }

    /**
     * Applies the query of {@code /api/chaos}.
     *
     * @return empty when applied, else what was wrong with it
     */
    java.util.Optional<String> apply(Map<String, List<String>> query) {
        for (String name : query.keySet()) {
            if (!name.equals("error-rate")) {
                return java.util.Optional.of("'" + name + "': unknown parameter (expected: error-rate)");
            }
        }
        List<String> values = query.get("error-rate");
        if (values == null) {
            return java.util.Optional.empty();
        }
        String text = values.get(0);
        try {
            double rate = Double.parseDouble(text);
            if (values.size() != 1 || !(rate >= 0 && rate <= 1)) {
                return java.util.Optional.of("error-rate: " + text + " (expected: one number 0-1, such as 0.2)");
            }
            errorRate = rate;
            return java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.of("error-rate: '" + text + "' (expected: a number 0-1, such as 0.2)");
        }
    }
}
