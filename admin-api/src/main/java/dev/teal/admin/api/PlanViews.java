package dev.teal.admin.api;

import dev.teal.admin.plan.CheckResult;
import dev.teal.admin.plan.PlanEvent;
import dev.teal.admin.plan.PlanRun;
import dev.teal.admin.plan.PlanState;
import dev.teal.admin.plan.PlanView;
import dev.teal.admin.plan.Verdict;
import dev.teal.config.PlanSettings;
import dev.teal.proxy.ColorTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shape of the release plan ({@code /status}'s {@code plan}, {@code GET /rollout}, the answers of
 * {@code /rollout/*}), key order fixed; instants as ISO-8601 strings, absent ones null.
 */
final class PlanViews {
    private PlanViews() {}

    /** When no plan is configured. */
    static Map<String, Object> none() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("configured", false);
        view.put("state", PlanState.IDLE.id());
        view.put("detail", "no release plan: teal.rollout.plan.steps is empty");
        return view;
    }

    static Map<String, Object> plan(PlanView v) {
        PlanRun run = v.run();
        PlanSettings plan = v.plan();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("configured", true);
        view.put("state", run.state().id());
        view.put("rollout", run.rolloutId());
        view.put("old", run.oldColor().id());
        view.put("new", run.newColor().id());
        view.put("step", run.step() + 1);
        view.put("steps", plan.steps().size());
        view.put("percent", run.step() < 0 ? 0 : plan.steps().get(run.step()).percent());
        view.put("holdEndsAt", run.holdEndsAt().map(Instant::toString).orElse(null));
        view.put(
                "holdLeftSeconds",
                run.state().active() ? run.holdLeftAt(v.now()).toSeconds() : null);
        view.put("promote", run.promote());
        view.put("reason", run.reason());
        view.put("now", v.live());
        view.put(
                "startedAt",
                run.state() == PlanState.IDLE ? null : run.startedAt().toString());
        List<Map<String, Object>> ladder = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("percent", plan.steps().get(i).percent());
            step.put("holdSeconds", plan.holdOf(i).toSeconds());
            step.put("state", stepState(run, i));
            ladder.add(step);
        }
        view.put("ladder", ladder);
        view.put(
                "analysis",
                v.verdict().map(verdict -> analysis(verdict, v.gate())).orElse(null));
        view.put("gate", v.gate().map(PlanViews::check).orElse(null));
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = run.events().size() - 1; i >= 0; i--) {
            events.add(event(run.events().get(i)));
        }
        view.put("events", events);
        return view;
    }

    private static String stepState(PlanRun run, int index) {
        if (run.step() < 0 || index > run.step()) {
            return "pending";
        }
        if (index < run.step()) {
            return "passed";
        }
        return switch (run.state()) {
            case RUNNING -> "holding";
            case PAUSED -> "paused";
            case COMPLETED -> "passed";
            case ROLLED_BACK -> "failed";
            case ABORTED -> "aborted";
            case IDLE -> "pending";
        };
    }

    static Map<String, Object> analysis(Verdict verdict, Optional<CheckResult> gate) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("at", verdict.at().toString());
        view.put("result", verdict.outcome().id());
        view.put("summary", verdict.summary());
        view.put("window", verdict.newTraffic().window().toString());
        view.put("sessions", verdict.sessions());
        List<Map<String, Object>> checks = new ArrayList<>();
        verdict.checks().forEach(c -> checks.add(check(c)));
        gate.ifPresent(g -> checks.add(check(g)));
        view.put("checks", checks);
        view.put("old", traffic(verdict.oldTraffic()));
        view.put("new", traffic(verdict.newTraffic()));
        return view;
    }

    static Map<String, Object> check(CheckResult c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("check", c.check());
        view.put("result", c.outcome().id());
        view.put("value", c.value());
        view.put("threshold", c.threshold());
        view.put("why", c.why());
        return view;
    }

    private static Map<String, Object> traffic(ColorTraffic t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("color", t.color().id());
        view.put("requests", t.requests());
        view.put("errors", t.errors());
        view.put("errorRate", t.errorRate());
        view.put("p50Millis", t.p50().map(PlanViews::millis).orElse(null));
        view.put("p99Millis", t.p99().map(PlanViews::millis).orElse(null));
        return view;
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static Map<String, Object> event(PlanEvent e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("at", e.at().toString());
        view.put("type", e.type());
        view.put("percent", e.percent());
        view.put("message", e.message());
        return view;
    }
}
