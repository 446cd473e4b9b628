package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.BackendSnapshot;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.TrafficControl;
import dev.teal.proxy.TrafficSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether teal should get traffic: every color that has sessions or a share of the split has a healthy
 * backend, the launcher's own checks hold (settings loaded, listeners bound), and it is not shutting down.
 */
final class Readiness {
    private final TrafficControl control;
    private final List<ReadinessCheck> checks;
    private volatile String shuttingDown;

    Readiness(TrafficControl control, List<ReadinessCheck> checks) {
        this.control = requireNonNull(control, "control");
        this.checks = List.copyOf(checks);
    }

    void shuttingDown(String reason) {
        shuttingDown = requireNonNull(reason, "reason");
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (shuttingDown != null) {
            problems.add(shuttingDown);
        }
        for (ReadinessCheck check : checks) {
            problems.addAll(check.problems());
        }
        TrafficSnapshot snapshot = control.snapshot();
        for (Color color : Color.values()) {
            ColorSnapshot c = snapshot.color(color);
            int share = snapshot.split().percent(color);
            if (c == null) {
                if (share > 0) {
                    problems.add(color + " has " + share + " % of the split but no backends");
                }
                continue;
            }
            boolean needed = share > 0 || c.activeSessions() > 0 || c.inFlight() > 0 || c.upgraded() > 0;
            if (needed && c.backends().stream().noneMatch(BackendSnapshot::healthy)) {
                problems.add(color + " has " + share + " % of the split and " + c.activeSessions()
                        + " active sessions but no healthy backend ("
                        + c.backends().size() + " configured)");
            }
        }
        return problems;
    }
}
