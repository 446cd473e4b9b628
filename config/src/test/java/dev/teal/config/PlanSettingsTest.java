package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code teal.rollout.plan}: the release plan, read and validated with every problem at once. */
class PlanSettingsTest {
    private static String plan(String body) {
        return TestSettings.MINIMAL + "teal.rollout.plan {\n" + body + "\n}\n";
    }

    @Test
    void hasNoPlanByDefault() throws Exception {
        PlanSettings plan =
                SettingsLoader.parse(TestSettings.MINIMAL, Map.of()).rollout().plan();

        assertThat(plan).isEqualTo(PlanSettings.none());
        assertThat(plan.configured()).isFalse();
        assertThat(plan.hold()).isEqualTo(Duration.ofMinutes(10));
        assertThat(plan.minSessions()).isEqualTo(200);
        assertThat(plan.analysis().maxErrorRate()).isEqualTo(0.01);
        assertThat(plan.analysis().window()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void readsThePlanOfTheIssue() throws Exception {
        PlanSettings plan = SettingsLoader.parse(plan("""
                                steps = [1, 5, { percent = 25, hold = 30m }, 50, 100]
                                hold = 10m
                                min-sessions = 200
                                analysis {
                                  max-error-rate = 0.5%
                                  max-error-rate-vs-old = 2x
                                  max-p99-vs-old = 1.5x
                                  window = 5m
                                  webhooks = [{ url = "http://gate.internal/check", timeout = 3s }]
                                }
                                on-failure = pause
                                rollback-force = true
                                notify = [{ url = "https://chat.internal/hook" }]
                                """), Map.of()).rollout().plan();

        assertThat(plan.steps())
                .containsExactly(
                        new PlanSettings.Step(1, null),
                        new PlanSettings.Step(5, null),
                        new PlanSettings.Step(25, Duration.ofMinutes(30)),
                        new PlanSettings.Step(50, null),
                        new PlanSettings.Step(100, null));
        assertThat(plan.holdOf(1)).isEqualTo(Duration.ofMinutes(10));
        assertThat(plan.holdOf(2)).isEqualTo(Duration.ofMinutes(30));
        assertThat(plan.analysis())
                .isEqualTo(new AnalysisSettings(
                        0.005,
                        2,
                        1.5,
                        Duration.ofMillis(5),
                        Duration.ofMinutes(5),
                        List.of(new PlanSettings.Webhook(
                                URI.create("http://gate.internal/check"), Duration.ofSeconds(3)))));
        assertThat(plan.onFailure()).isEqualTo(PlanSettings.OnFailure.PAUSE);
        assertThat(plan.rollbackForce()).isTrue();
        assertThat(plan.notifications())
                .containsExactly(
                        new PlanSettings.Webhook(URI.create("https://chat.internal/hook"), Duration.ofSeconds(5)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "steps = [5, 1, 100]|teal.rollout.plan.steps[1]: 1 (expected: a percentage above the step before it, 5",
                "steps = [1, 5, 50]|teal.rollout.plan.steps: [1, 5, 50] (expected: a last step of 100",
                "steps = [0, 100]|teal.rollout.plan.steps[0]: 0 (expected: a percentage 1-100",
                "steps = [2.5, 100]|teal.rollout.plan.steps[0]: 2.5 (expected: a percentage 1-100",
                "steps = [{ percent = 10, hold = -1m }, 100]|teal.rollout.plan.steps[0].hold: -1m",
                "steps = [{ percent = 10, wait = 1m }, 100]|teal.rollout.plan.steps[0].wait: unknown setting",
                "steps = 5|teal.rollout.plan.steps: 5 (expected: a list",
                "hold = 0s|teal.rollout.plan.hold: 0s",
                "min-sessions = -1|teal.rollout.plan.min-sessions: -1",
                "analysis.max-error-rate = 1|teal.rollout.plan.analysis.max-error-rate: 1 (expected: a percentage",
                "analysis.max-error-rate = 101%|teal.rollout.plan.analysis.max-error-rate: \"101%\"",
                "analysis.max-error-rate-vs-old = 0.5x|teal.rollout.plan.analysis.max-error-rate-vs-old: \"0.5x\" (expected: a factor",
                "analysis.max-p99-vs-old = fast|teal.rollout.plan.analysis.max-p99-vs-old: \"fast\"",
                "analysis.p99-tolerance = -1ms|teal.rollout.plan.analysis.p99-tolerance: \"-1ms\"",
                "analysis.p99-tolerance = 5|teal.rollout.plan.analysis.p99-tolerance: 5 (expected: a duration",
                "analysis.window = 2d|teal.rollout.plan.analysis.window: 2d (expected: a duration of at most 24h",
                "analysis.webhooks = [{ url = \"ftp://x/\" }]|teal.rollout.plan.analysis.webhooks[0].url: \"ftp://x/\"",
                "analysis.webhooks = [\"http://x/\"]|teal.rollout.plan.analysis.webhooks[0]: \"http://x/\" (expected: an object",
                "notify = [{ url = \"http://x/\", retries = 3 }]|teal.rollout.plan.notify[0].retries: unknown setting",
                "on-failure = retry|teal.rollout.plan.on-failure: \"retry\"",
                "rollback-force = maybe|teal.rollout.plan.rollback-force: \"maybe\"",
                "analysys.window = 1m|teal.rollout.plan.analysys: unknown setting",
            })
    void refusesABadPlanNamingTheSetting(String body, String problem) {
        InvalidSettingsException e = TestSettings.invalid(plan(body), Map.of());

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(problem));
    }

    @Test
    void reportsEveryProblemOfAPlanAtOnce() {
        InvalidSettingsException e =
                TestSettings.invalid(plan("steps = [1, 50]\nhold = soon\nanalysis.max-p99-vs-old = 0x"), Map.of());

        assertThat(e.problems()).hasSize(3);
    }

    @Test
    void aPlanChangesTheSettingsItIsPartOf() {
        RolloutSettings none = RolloutSettings.none();
        PlanSettings steps = new PlanSettings(
                List.of(new PlanSettings.Step(50, null), new PlanSettings.Step(100, null)),
                Duration.ofMinutes(1),
                0,
                AnalysisSettings.defaults(),
                PlanSettings.OnFailure.ROLLBACK,
                false,
                List.of());

        assertThat(none.withPlan(steps)).isNotEqualTo(none);
        assertThat(none.withPlan(steps).plan().configured()).isTrue();
    }
}
