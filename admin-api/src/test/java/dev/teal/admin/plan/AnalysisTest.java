package dev.teal.admin.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.plan.CheckResult.Outcome;
import dev.teal.config.AnalysisSettings;
import dev.teal.config.Color;
import dev.teal.proxy.ColorTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalysisTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private final Analysis analysis = new Analysis(AnalysisSettings.defaults(), 200);

    private static ColorTraffic traffic(Color color, long requests, long errors, long p99Millis) {
        return new ColorTraffic(
                color,
                Duration.ofMinutes(5),
                requests,
                errors,
                Optional.of(Duration.ofMillis(1)),
                requests == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(p99Millis)),
                0);
    }

    private static Outcome check(Verdict v, String check) {
        return v.checks().stream()
                .filter(c -> c.check().equals(check))
                .findFirst()
                .orElseThrow()
                .outcome();
    }

    @Test
    void tooFewSessionsIsNotJudgedEvenWhenEverythingElseWouldFail() {
        Verdict v = analysis.judge(NOW, traffic(Color.BLUE, 1000, 0, 10), traffic(Color.GREEN, 500, 500, 900), 199);

        assertThat(v.outcome()).isEqualTo(Outcome.NOT_JUDGED);
        assertThat(check(v, Analysis.ERROR_RATE)).isEqualTo(Outcome.NOT_JUDGED);
        assertThat(v.summary()).contains("not judged yet: 199 of 200 sessions");
    }

    @Test
    void passesAHealthyNewColor() {
        Verdict v = analysis.judge(NOW, traffic(Color.BLUE, 1000, 10, 20), traffic(Color.GREEN, 500, 4, 21), 200);

        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
        assertThat(v.summary()).isEqualTo("every check passed");
    }

    @Test
    void failsAboveTheErrorRateAndAboveOldsRate() {
        Verdict v = analysis.judge(NOW, traffic(Color.BLUE, 1000, 1, 20), traffic(Color.GREEN, 500, 10, 20), 300);

        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(v, Analysis.ERROR_RATE)).isEqualTo(Outcome.FAIL);
        assertThat(check(v, Analysis.ERROR_RATE_VS_OLD)).isEqualTo(Outcome.FAIL);
        assertThat(v.summary()).contains("green answered 10 5xx of 500 (2.00 %) over 5m, limit 1.00 %");
    }

    @Test
    void comparesTheNinetyNinthPercentileWithOldsWithATolerance() {
        Verdict slow = analysis.judge(NOW, traffic(Color.BLUE, 1000, 0, 20), traffic(Color.GREEN, 500, 0, 40), 300);
        Verdict noise = analysis.judge(NOW, traffic(Color.BLUE, 1000, 0, 1), traffic(Color.GREEN, 500, 0, 4), 300);

        assertThat(check(slow, Analysis.P99_VS_OLD)).isEqualTo(Outcome.FAIL);
        assertThat(slow.summary()).contains("green p99 40.0 ms against blue 20.0 ms", "2.00x");
        assertThat(check(noise, Analysis.P99_VS_OLD)).isEqualTo(Outcome.PASS);
    }

    @Test
    void aNinetyNinthPercentileNeedsAHundredResponses() {
        Verdict few = analysis.judge(NOW, traffic(Color.BLUE, 1000, 0, 20), traffic(Color.GREEN, 99, 0, 90), 300);
        Verdict oldFew = analysis.judge(NOW, traffic(Color.BLUE, 50, 0, 20), traffic(Color.GREEN, 500, 0, 90), 300);

        assertThat(few.outcome()).isEqualTo(Outcome.NOT_JUDGED);
        assertThat(check(oldFew, Analysis.P99_VS_OLD)).isEqualTo(Outcome.SKIPPED);
        assertThat(oldFew.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void skipsTheComparisonsWhenOldAnsweredNothing() {
        Verdict v = analysis.judge(NOW, traffic(Color.BLUE, 0, 0, 0), traffic(Color.GREEN, 500, 0, 30), 300);

        assertThat(check(v, Analysis.ERROR_RATE_VS_OLD)).isEqualTo(Outcome.SKIPPED);
        assertThat(check(v, Analysis.P99_VS_OLD)).isEqualTo(Outcome.SKIPPED);
        assertThat(v.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aNewColorThatAnsweredNothingIsNotJudged() {
        Verdict v = analysis.judge(NOW, traffic(Color.BLUE, 100, 0, 1), traffic(Color.GREEN, 0, 0, 0), 300);

        assertThat(v.outcome()).isEqualTo(Outcome.NOT_JUDGED);
        assertThat(v.checks())
                .extracting(CheckResult::check)
                .containsExactlyElementsOf(List.of(
                        Analysis.SESSIONS, Analysis.ERROR_RATE, Analysis.ERROR_RATE_VS_OLD, Analysis.P99_VS_OLD));
    }
}
