package dev.teal.admin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.config.Color;
import dev.teal.proxy.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileStateStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void newDirectoryHasNoState() {
        assertThat(FileStateStore.open(dir.resolve("new"), CLOCK).load()).isEmpty();
        assertThat(dir.resolve("new")).isDirectory();
    }

    @Test
    void savedStateReadsBackEqual() throws IOException {
        FileStateStore store = FileStateStore.open(dir, CLOCK);
        DurableState state = new DurableState(
                new Split(25), new Rollout(3, Color.GREEN, Color.BLUE, RolloutState.RAMPING, T0, T0.plusSeconds(5)));

        store.save(state);

        assertThat(FileStateStore.open(dir, CLOCK).load()).contains(state);
        assertThat(listing()).containsExactly("state.json");
    }

    @Test
    void aContractedRolloutReadsBackContracted() {
        FileStateStore store = FileStateStore.open(dir, CLOCK);
        DurableState state = new DurableState(
                new Split(100), new Rollout(2, Color.BLUE, Color.GREEN, RolloutState.CONTRACTED, T0, T0));

        store.save(state);

        assertThat(FileStateStore.open(dir, CLOCK).load()).contains(state);
    }

    @Test
    void failedWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        FileStateStore store = FileStateStore.open(dir, CLOCK);
        DurableState before = DurableState.initial(new Split(0), T0);
        store.save(before);
        String content = Files.readString(store.file());
        // A directory in the way of the rename makes the write fail at its last step, even as root.
        Path moved = dir.resolve("moved.json");
        Files.move(store.file(), moved);
        Files.createDirectories(store.file().resolve("in-the-way"));

        assertThatThrownBy(() -> store.save(DurableState.initial(new Split(100), T0)))
                .isInstanceOf(StateWriteException.class)
                .hasMessageContaining("cannot write " + store.file());

        assertThat(listing()).containsExactlyInAnyOrder("state.json", "moved.json");
        assertThat(Files.readString(moved)).isEqualTo(content);
    }

    @Test
    void stateDirThatIsAFileCannotBeOpened() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> FileStateStore.open(file, CLOCK))
                .isInstanceOf(StateWriteException.class)
                .hasMessageContaining("state-dir: " + file);
    }

    @Test
    void removesTemporaryFilesLeftByACrash() throws IOException {
        Files.writeString(dir.resolve("state.json.123.tmp"), "{half");

        FileStateStore.open(dir, CLOCK);

        assertThat(listing()).isEmpty();
    }

    static Stream<Arguments> corruptFiles() {
        String good = "\"rollout\": {\"id\": 1, \"old\": \"blue\", \"new\": \"green\", \"state\": \"ramping\","
                + " \"startedAt\": \"2026-11-21T10:00:00Z\", \"changedAt\": \"2026-11-21T10:00:00Z\"}";
        return Stream.of(
                Arguments.of("", "empty (expected: a JSON object"),
                Arguments.of("{\"version\": 1, \"split\": {\"green\": 2", "not valid JSON"),
                Arguments.of("[]", "not a JSON object"),
                Arguments.of("{\"version\": 2, \"split\": {\"green\": 25}, " + good + "}", "version: 2 (expected: 1)"),
                Arguments.of("{\"version\": 1, \"split\": {\"green\": 250}, " + good + "}", "split.green: 250"),
                Arguments.of("{\"version\": 1, \"split\": {\"green\": \"25\"}, " + good + "}", "split.green: \"25\""),
                Arguments.of("{\"version\": 1, \"split\": {\"green\": 25}}", "rollout: (missing)"),
                Arguments.of(
                        "{\"version\": 1, \"split\": {\"green\": 25}, " + good.replace("ramping", "flying") + "}",
                        "rollout.state: 'flying'"),
                Arguments.of(
                        "{\"version\": 1, \"split\": {\"green\": 25}, " + good.replace("\"blue\"", "\"red\"") + "}",
                        "rollout.old: 'red' (expected: blue or green)"),
                Arguments.of(
                        "{\"version\": 1, \"split\": {\"green\": 25}, "
                                + good.replace("2026-11-21T10:00:00Z\", \"changedAt", "yesterday\", \"changedAt") + "}",
                        "rollout.startedAt: 'yesterday'"),
                Arguments.of(
                        "{\"version\": 1, \"split\": {\"green\": 25}, " + good.replace("ramping", "settled") + "}",
                        "settled but the split is green 25"));
    }

    @ParameterizedTest
    @MethodSource("corruptFiles")
    void corruptFileIsRefusedWithAClearMessageNeverReset(String content, String expected) throws IOException {
        Files.writeString(dir.resolve("state.json"), content, StandardCharsets.UTF_8);
        FileStateStore store = FileStateStore.open(dir, CLOCK);

        assertThatThrownBy(store::load)
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining(dir.resolve("state.json").toString())
                .hasMessageContaining(expected)
                .hasMessageContaining("does not fall back to the configured split");
        assertThat(Files.readString(dir.resolve("state.json"))).isEqualTo(content);
    }

    private Stream<String> listingStream() throws IOException {
        return Files.list(dir).map(p -> p.getFileName().toString());
    }

    private java.util.List<String> listing() throws IOException {
        try (Stream<String> names = listingStream()) {
            return names.sorted().toList();
        }
    }
}
