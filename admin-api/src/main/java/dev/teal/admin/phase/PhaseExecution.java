package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one phase with everything around it: the journal entry before (a run that cannot be journaled
 * does not start) and after, the metrics, and the log lines. Runs on the calling thread.
 */
final class PhaseExecution {
    private static final Logger log = LoggerFactory.getLogger(PhaseExecution.class);

    private final PhaseJournal journal;
    private final PhaseMetrics metrics;
    private final Clock clock;

    PhaseExecution(PhaseJournal journal, PhaseMetrics metrics, Clock clock) {
        this.journal = requireNonNull(journal, "journal");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Runs {@code phase} in {@code rollout} with the split at {@code greenPercent}.
     *
     * @return the journal entry of the run, ended
     * @throws dev.teal.admin.state.StateWriteException when the journal cannot be written before the run
     *     (it did not run) or after it (it ran: the entry in memory says how it ended)
     */
    JournalEntry execute(Phase phase, RolloutRef rollout, int greenPercent) {
        JournalEntry running =
                journal.begin(entry(phase, rollout, clock.instant(), Optional.empty(), PhaseState.RUNNING, ""));
        log.info(
                "Phase {} ({}, {}) started in {}, green at {} %",
                phase.name(),
                phase.settings().trigger(),
                phase.settings().kind().id(),
                rollout,
                greenPercent);
        long start = System.nanoTime();
        PhaseResult result;
        try {
            result = phase.run(new PhaseRun(
                    rollout.id(),
                    rollout.oldColor(),
                    rollout.newColor(),
                    greenPercent,
                    phase.name(),
                    phase.settings().timeout()));
        } catch (RuntimeException e) {
            log.warn("Phase {} threw", phase.name(), e);
            result = PhaseResult.of(PhaseState.FAILED, "teal could not run it: " + e, "");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.record(phase.name(), result.state(), took);
        log(phase, result, took);
        return journal.end(running, clock.instant(), result);
    }

    /** Journals that {@code phase} was not run because {@code reason}. */
    JournalEntry skip(Phase phase, RolloutRef rollout, String reason) {
        Instant now = clock.instant();
        log.info(
                "Phase {} ({}) skipped in {}: {}",
                phase.name(),
                phase.settings().trigger(),
                rollout,
                reason);
        return journal.begin(entry(phase, rollout, now, Optional.of(now), PhaseState.SKIPPED, reason));
    }

    private static JournalEntry entry(
            Phase phase, RolloutRef rollout, Instant start, Optional<Instant> end, PhaseState state, String detail) {
        return new JournalEntry(
                0,
                rollout.id(),
                rollout.oldColor(),
                rollout.newColor(),
                phase.name(),
                phase.settings().trigger().toString(),
                phase.settings().kind().id(),
                start,
                end,
                state,
                detail,
                "",
                List.of());
    }

    private static void log(Phase phase, PhaseResult result, Duration took) {
        String versions = result.versions().isEmpty()
                ? ""
                : "; applied "
                        + result.versions().stream()
                                .map(AppliedVersion::toString)
                                .collect(Collectors.joining(", "));
        if (result.state() == PhaseState.SUCCEEDED) {
            log.info(
                    "Phase {} succeeded in {}: {}{}", phase.name(), Durations.seconds(took), result.detail(), versions);
        } else {
            log.warn(
                    "Phase {} {} after {}: {}{}",
                    phase.name(),
                    result.state() == PhaseState.TIMED_OUT
                            ? "timed out"
                            : result.state().id(),
                    Durations.seconds(took),
                    result.detail(),
                    versions);
        }
    }
}
