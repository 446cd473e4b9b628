package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The state as one JSON file, {@code <state-dir>/state.json}, replaced atomically ({@link AtomicFile}):
 * after a crash the file holds either the old or the new state, never a mix or nothing.
 */
public final class FileStateStore implements StateStore {
    static final String FILE_NAME = "state.json";

    private final AtomicFile file;
    private final Clock clock;
    private final StateFileFormat format = new StateFileFormat();

    private FileStateStore(AtomicFile file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * Opens the store in {@code dir}, creating the directory when missing and removing temporary files
     * a crash left behind. Does not read the state: {@link #load()} does.
     *
     * @throws StateWriteException when the directory cannot be created or is not a directory
     */
    public static FileStateStore open(Path dir, Clock clock) {
        requireNonNull(dir, "dir");
        requireNonNull(clock, "clock");
        return new FileStateStore(AtomicFile.in(dir, FILE_NAME), clock);
    }

    public Path file() {
        return file.path();
    }

    @Override
    public String describe() {
        return file.path().toString();
    }

    @Override
    public Optional<StoredState> read() {
        return load().map(state -> new StoredState(state, 0));
    }

    /**
     * Saves {@code next}: one instance is the only writer, and {@link LiveState} serializes its
     * changes, so the version only counts saves.
     */
    @Override
    public long replace(DurableState next, long expectedVersion) {
        save(next);
        return expectedVersion + 1;
    }

    /** The stored state; empty when the directory holds none yet. */
    public Optional<DurableState> load() {
        byte[] bytes;
        try {
            bytes = file.read();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptStateException(file.path() + ": cannot be read (" + e + ")", e);
        }
        try {
            return Optional.of(format.read(bytes));
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(
                    file.path() + ": " + e.getMessage()
                            + ". teal does not fall back to the configured split; repair the file, or move it away"
                            + " (with phases.json beside it) to start again from the configuration",
                    e);
        }
    }

    /** Replaces the file; when this returns, a crash of the process or the machine keeps it. */
    public void save(DurableState state) {
        requireNonNull(state, "state");
        file.write(format.write(state, clock.instant()));
    }
}
