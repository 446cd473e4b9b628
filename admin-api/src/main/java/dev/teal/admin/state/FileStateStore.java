package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state as one JSON file, {@code <state-dir>/state.json}, replaced atomically: the new content goes
 * to a temporary file in the same directory, is forced to disk, renamed over the old file, and the
 * directory is forced too, so that after a crash the file holds either the old or the new state, never
 * a mix or nothing.
 */
public final class FileStateStore implements StateStore {
    static final String FILE_NAME = "state.json";
    private static final String TEMP_PREFIX = FILE_NAME + ".";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

    private final Path dir;
    private final Path file;
    private final Clock clock;
    private final StateFileFormat format = new StateFileFormat();

    private FileStateStore(Path dir, Clock clock) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
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
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new StateWriteException(
                    "state-dir: " + absolute + " cannot be created (" + e + "; expected: a writable directory)", e);
        }
        FileStateStore store = new FileStateStore(absolute, clock);
        store.removeLeftoverTempFiles();
        return store;
    }

    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Optional<DurableState> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptStateException(file + ": cannot be read (" + e + ")", e);
        }
        try {
            return Optional.of(format.read(bytes));
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(
                    file + ": " + e.getMessage()
                            + ". teal does not fall back to the configured split; repair the file, or move it away"
                            + " to start again from the configuration",
                    e);
        }
    }

    @Override
    public void save(DurableState state) {
        requireNonNull(state, "state");
        byte[] bytes = format.write(state, clock.instant());
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            forceDirectory();
        } catch (IOException | RuntimeException e) {
            throw new StateWriteException(
                    "state-dir: cannot write " + file + " (" + e + "; expected: a writable directory with free space)",
                    e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    /** Makes the rename itself durable: without it a crash may bring back the old directory entry. */
    private void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private void removeLeftoverTempFiles() {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                log.info("Removing {}, left by an interrupted write", leftover);
                deleteQuietly(leftover);
            }
        } catch (IOException e) {
            log.warn("Cannot list {} to remove temporary files: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", path, e.toString());
        }
    }
}
