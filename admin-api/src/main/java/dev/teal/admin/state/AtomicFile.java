package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file in the state directory that is only ever replaced whole: the new content goes to a temporary
 * file in the same directory, is forced to disk, renamed over the old file, and the directory is forced
 * too, so that after a crash the file holds either the old or the new content, never a mix or nothing.
 */
public final class AtomicFile {
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Logger log = LoggerFactory.getLogger(AtomicFile.class);

    private final Path dir;
    private final Path file;

    private AtomicFile(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
    }

    /**
     * The file {@code name} in {@code dir}, creating the directory when missing and removing the temporary
     * files an interrupted write left behind.
     *
     * @throws StateWriteException when the directory cannot be created
     */
    public static AtomicFile in(Path dir, String name) {
        requireNonNull(dir, "dir");
        requireNonNull(name, "name");
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new StateWriteException(
                    "state-dir: " + absolute + " cannot be created (" + e + "; expected: a writable directory)", e);
        }
        AtomicFile atomic = new AtomicFile(absolute, absolute.resolve(name));
        atomic.removeLeftoverTempFiles();
        return atomic;
    }

    public Path path() {
        return file;
    }

    /** Reads the whole file. @throws java.nio.file.NoSuchFileException when it was never written */
    public byte[] read() throws IOException {
        return Files.readAllBytes(file);
    }

    /**
     * Replaces the file's content; when this returns, a crash of the process or the machine keeps it.
     *
     * @throws StateWriteException when it could not be written; the previous content is intact
     */
    public void write(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, tempPrefix(), TEMP_SUFFIX);
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

    private String tempPrefix() {
        return file.getFileName() + ".";
    }

    private void removeLeftoverTempFiles() {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, tempPrefix() + "*" + TEMP_SUFFIX)) {
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
