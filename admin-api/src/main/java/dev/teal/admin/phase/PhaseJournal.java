package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.AtomicFile;
import dev.teal.admin.state.CorruptStateException;
import dev.teal.admin.state.StateWriteException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every phase run, in {@code <state-dir>/phases.json}, replaced atomically on each change: an entry is
 * written before a phase runs and again when it ends, so that a run that was under way when teal died
 * reads back as running, and is marked interrupted when the journal is opened again. Nothing is re-run
 * because of it: an operator decides.
 */
public final class PhaseJournal {
    static final String FILE_NAME = "phases.json";
    /** Entries kept: enough for the last rollouts' history, never enough to grow without bound. */
    static final int MAX_ENTRIES = 200;

    private static final Logger log = LoggerFactory.getLogger(PhaseJournal.class);

    private final AtomicFile file;
    private final Clock clock;
    private final JournalFormat format = new JournalFormat();
    private final List<JournalEntry> entries;
    private long lastSequence;

    private PhaseJournal(AtomicFile file, Clock clock, List<JournalEntry> entries) {
        this.file = file;
        this.clock = clock;
        this.entries = entries;
        this.lastSequence =
                entries.stream().mapToLong(JournalEntry::sequence).max().orElse(0);
    }

    /**
     * Reads the journal in {@code stateDir} (empty when there is none yet) and marks the runs teal was
     * in the middle of when it stopped as interrupted.
     *
     * @throws CorruptStateException when the journal exists but cannot be read back
     * @throws StateWriteException when interrupted runs were found but the journal cannot be written
     */
    public static PhaseJournal open(Path stateDir, Clock clock) {
        requireNonNull(stateDir, "stateDir");
        requireNonNull(clock, "clock");
        AtomicFile file = AtomicFile.in(stateDir, FILE_NAME);
        List<JournalEntry> entries;
        try {
            entries = new ArrayList<>(new JournalFormat().read(file.read()));
        } catch (NoSuchFileException e) {
            entries = new ArrayList<>();
        } catch (IOException e) {
            throw new CorruptStateException(file.path() + ": cannot be read (" + e + ")", e);
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(
                    file.path() + ": " + e.getMessage() + ". teal does not guess which phases ran; repair the file,"
                            + " or move it away to start with an empty journal (every phase then counts as not run)",
                    e);
        }
        PhaseJournal journal = new PhaseJournal(file, clock, entries);
        journal.markInterrupted();
        return journal;
    }

    private synchronized void markInterrupted() {
        Instant now = clock.instant();
        boolean changed = false;
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry entry = entries.get(i);
            if (entry.state() == PhaseState.RUNNING) {
                JournalEntry interrupted = entry.ended(
                        now,
                        PhaseResult.of(
                                PhaseState.INTERRUPTED,
                                "teal stopped while it ran (found running at start); check what it did, then re-run"
                                        + " it with POST /phases/" + entry.phase() + "/run",
                                entry.output()));
                entries.set(i, interrupted);
                changed = true;
                log.warn(
                        "Phase {} of rollout {} was running when teal stopped: marked interrupted. Nothing re-runs"
                                + " by itself; check what it did, then POST /phases/{}/run",
                        entry.phase(),
                        entry.rollout(),
                        entry.phase());
            }
        }
        if (changed) {
            save();
        }
    }

    public Path file() {
        return file.path();
    }

    /** Every entry, oldest first. */
    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /** The latest run of {@code phase} in {@code rollout}. */
    public synchronized Optional<JournalEntry> last(long rollout, String phase) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            JournalEntry entry = entries.get(i);
            if (entry.rollout() == rollout && entry.phase().equals(phase)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** The highest rollout id with an entry; 0 when the journal is empty. */
    public synchronized long latestRollout() {
        return entries.stream().mapToLong(JournalEntry::rollout).max().orElse(0);
    }

    /**
     * Records a run as started (state running) or skipped, durably.
     *
     * @throws StateWriteException when it cannot be written: then it is not recorded, and must not run
     */
    synchronized JournalEntry begin(JournalEntry template) {
        JournalEntry entry = new JournalEntry(
                lastSequence + 1,
                template.rollout(),
                template.oldColor(),
                template.newColor(),
                template.phase(),
                template.trigger(),
                template.kind(),
                template.startedAt(),
                template.endedAt(),
                template.state(),
                template.detail(),
                template.output(),
                template.versions());
        entries.add(entry);
        try {
            save();
        } catch (StateWriteException e) {
            entries.remove(entries.size() - 1);
            throw e;
        }
        lastSequence = entry.sequence();
        return entry;
    }

    /**
     * Records how a run ended. The outcome is kept in memory even when it cannot be written (it is what
     * happened); the file then still says running, which reads back as interrupted: the safe side.
     *
     * @throws StateWriteException when it cannot be written
     */
    synchronized JournalEntry end(JournalEntry running, Instant at, PhaseResult result) {
        JournalEntry ended = running.ended(at, result);
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).sequence() == running.sequence()) {
                entries.set(i, ended);
                break;
            }
        }
        save();
        return ended;
    }

    private void save() {
        prune();
        file.write(format.write(entries, clock.instant()));
    }

    /** Drops the oldest entries of earlier rollouts beyond {@link #MAX_ENTRIES}; the latest rollout's stay. */
    private void prune() {
        if (entries.size() <= MAX_ENTRIES) {
            return;
        }
        long latest = entries.stream().mapToLong(JournalEntry::rollout).max().orElse(0);
        List<JournalEntry> oldFirst = new ArrayList<>(entries);
        oldFirst.sort(Comparator.comparingLong(JournalEntry::sequence));
        int excess = entries.size() - MAX_ENTRIES;
        for (JournalEntry entry : oldFirst) {
            if (excess == 0) {
                break;
            }
            if (entry.rollout() != latest) {
                entries.remove(entry);
                excess--;
            }
        }
    }
}
