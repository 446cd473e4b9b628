package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where phases run: on the caller's thread (gating phases, on the ramp's) or, one after the other, on
 * one background thread; and which phases are under way (started, queued or running, not yet ended).
 * Thread-safe; a phase is marked under way before the call that starts it returns.
 */
final class PhaseQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PhaseQueue.class);

    private final PhaseExecution execution;
    private final ExecutorService background =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("teal-phases", true));
    private final Set<String> active = new LinkedHashSet<>();

    PhaseQueue(PhaseExecution execution) {
        this.execution = requireNonNull(execution, "execution");
    }

    synchronized boolean isActive(String phase) {
        return active.contains(phase);
    }

    /** The phases under way, in the order they were started. */
    synchronized List<String> active() {
        return List.copyOf(active);
    }

    /** Marks {@code phases} under way, before they run on the caller's thread with {@link #runHere}. */
    synchronized void reserve(List<Phase> phases) {
        phases.forEach(p -> active.add(p.name()));
    }

    /** Releases what {@link #reserve} marked and did not run. */
    synchronized void release(List<Phase> phases) {
        phases.forEach(p -> active.remove(p.name()));
    }

    /** Runs a reserved phase on the calling thread; it is no longer under way when this returns. */
    JournalEntry runHere(Phase phase, RolloutRef rollout, int green) {
        try {
            return execution.execute(phase, rollout, green);
        } finally {
            release(List.of(phase));
        }
    }

    /** Queues {@code phases} to run one after the other in the background; a failure skips the rest. */
    synchronized void runInBackground(List<Phase> phases, RolloutRef rollout, int green) {
        reserve(phases);
        try {
            background.execute(() -> runInOrder(phases, rollout, green));
        } catch (RejectedExecutionException e) {
            release(phases);
            log.warn(
                    "Phases {} not started: teal is stopping",
                    phases.stream().map(Phase::name).toList());
        }
    }

    private void runInOrder(List<Phase> phases, RolloutRef rollout, int green) {
        Optional<String> failed = Optional.empty();
        try {
            for (Phase phase : phases) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // teal stops: what did not start stays pending
                }
                try {
                    if (failed.isPresent()) {
                        execution.skip(phase, rollout, "not run: " + failed.get() + " before it");
                    } else {
                        JournalEntry entry = execution.execute(phase, rollout, green);
                        if (entry.state() != PhaseState.SUCCEEDED) {
                            failed = Optional.of(
                                    phase.name() + " " + entry.state().id());
                        }
                    }
                } catch (RuntimeException e) {
                    log.warn(
                            "Phase {}: the journal could not be written; the phases after it in this step do not"
                                    + " run: {}",
                            phase.name(),
                            e.getMessage());
                    failed = Optional.of(phase.name() + " could not be journaled");
                } finally {
                    release(List.of(phase));
                }
            }
        } finally {
            release(phases);
        }
    }

    /**
     * Stops the background: the phase running is stopped (a command's process tree killed, SQL statements
     * cancelled) and journaled as interrupted; the queued ones stay pending.
     */
    @Override
    public void close() {
        background.shutdownNow();
        try {
            if (!background.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("A phase did not stop within 10 s of teal stopping; the journal says running, which"
                        + " reads back as interrupted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
