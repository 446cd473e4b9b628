package dev.teal.admin.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.state.CorruptStateException;
import dev.teal.admin.state.StateWriteException;
import dev.teal.config.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhaseJournalTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static JournalEntry running(long rollout, String phase) {
        return new JournalEntry(
                0,
                rollout,
                Color.BLUE,
                Color.GREEN,
                phase,
                "before-new",
                "sql",
                T0,
                Optional.empty(),
                PhaseState.RUNNING,
                "",
                "",
                List.of());
    }

    @Test
    void keepsEveryRunAcrossARestart() {
        PhaseJournal journal = PhaseJournal.open(dir, CLOCK);
        JournalEntry started = journal.begin(running(1, "expand"));
        journal.end(
                started,
                T0.plusSeconds(2),
                new PhaseResult(
                        PhaseState.SUCCEEDED,
                        "1 script applied",
                        "applied V1 add full name (35 ms)",
                        List.of(new AppliedVersion("1", "add full name", Duration.ofMillis(35)))));

        PhaseJournal reopened = PhaseJournal.open(dir, CLOCK);

        assertThat(reopened.entries()).hasSize(1);
        JournalEntry entry = reopened.last(1, "expand").orElseThrow();
        assertThat(entry.sequence()).isEqualTo(1);
        assertThat(entry.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(entry.duration()).contains(Duration.ofSeconds(2));
        assertThat(entry.versions()).containsExactly(new AppliedVersion("1", "add full name", Duration.ofMillis(35)));
        assertThat(reopened.last(2, "expand")).isEmpty();
        assertThat(reopened.latestRollout()).isEqualTo(1);
    }

    @Test
    void aRunThatWasUnderWayWhenTealStoppedReadsBackInterrupted() {
        PhaseJournal.open(dir, CLOCK).begin(running(4, "backfill"));

        PhaseJournal reopened = PhaseJournal.open(dir, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

        JournalEntry entry = reopened.last(4, "backfill").orElseThrow();
        assertThat(entry.state()).isEqualTo(PhaseState.INTERRUPTED);
        assertThat(entry.endedAt()).contains(T0.plusSeconds(60));
        assertThat(entry.detail()).contains("teal stopped while it ran").contains("POST /phases/backfill/run");
        // Written back at once: a second restart finds it interrupted, not running.
        assertThat(PhaseJournal.open(dir, CLOCK)
                        .last(4, "backfill")
                        .orElseThrow()
                        .state())
                .isEqualTo(PhaseState.INTERRUPTED);
    }

    @Test
    void aRunThatCannotBeJournaledIsNotRecorded() throws IOException {
        PhaseJournal journal = PhaseJournal.open(dir.resolve("state"), CLOCK);
        Files.move(dir.resolve("state"), dir.resolve("moved"));
        Files.writeString(dir.resolve("state"), "not a directory");

        assertThatThrownBy(() -> journal.begin(running(1, "expand"))).isInstanceOf(StateWriteException.class);

        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void keepsTheLatestRolloutWhenPruning() {
        PhaseJournal journal = PhaseJournal.open(dir, CLOCK);
        for (int i = 0; i < PhaseJournal.MAX_ENTRIES + 10; i++) {
            JournalEntry entry = journal.begin(running(i < 20 ? 1 : 2, "p" + i));
            journal.end(entry, T0, PhaseResult.of(PhaseState.FAILED, "exit 1", ""));
        }

        List<JournalEntry> entries = PhaseJournal.open(dir, CLOCK).entries();

        assertThat(entries).hasSize(PhaseJournal.MAX_ENTRIES);
        assertThat(entries.get(0).sequence()).isEqualTo(11);
        assertThat(entries.get(entries.size() - 1).sequence()).isEqualTo(PhaseJournal.MAX_ENTRIES + 10);
    }

    @Test
    void aDamagedJournalStopsTealInsteadOfForgettingWhatRan() throws IOException {
        Files.writeString(dir.resolve(PhaseJournal.FILE_NAME), "{\"version\": 1, \"entries\": [{\"phase\": 3}]}");

        assertThatThrownBy(() -> PhaseJournal.open(dir, CLOCK))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("phases.json: entries[0].versions: null (expected: an array)")
                .hasMessageContaining("teal does not guess which phases ran");
    }
}
