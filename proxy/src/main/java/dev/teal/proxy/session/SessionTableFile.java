package dev.teal.proxy.session;

import dev.teal.config.Color;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The session table on disk: a compact binary file, 33 bytes per session.
 *
 * <pre>
 * "TEALSES" version(1)  savedAt(8, epoch ms)  count(4)
 * count × [ key.hi(8) key.lo(8) color(1) pinnedAt(8, epoch ms) lastSeen(8, epoch ms) ]
 * crc32(4) of everything before it
 * </pre>
 */
final class SessionTableFile {
    private static final byte[] MAGIC = {'T', 'E', 'A', 'L', 'S', 'E', 'S', 1};
    private static final int ENTRY_BYTES = 33;

    record Entry(SessionKey key, Color color, long pinnedAtMillis, long lastSeenMillis) {}

    private SessionTableFile() {}

    /** The sessions in wall-clock time ({@code now} in ticker time); busy ones as active now. */
    static List<Entry> entries(Collection<Session> sessions, long now, long wallNow) {
        List<Entry> entries = new ArrayList<>(sessions.size());
        for (Session s : sessions) {
            long lastSeen = s.busy() ? now : s.lastSeen();
            entries.add(new Entry(
                    s.key(),
                    s.color(),
                    wallNow - (now - s.pinnedAt()) / 1_000_000,
                    wallNow - (now - lastSeen) / 1_000_000));
        }
        return entries;
    }

    static void write(Path file, long savedAtMillis, List<Entry> entries) throws IOException {
        StateFiles.writeAtomically(file, true, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeLong(savedAtMillis);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeLong(e.key().hi());
                out.writeLong(e.key().lo());
                out.writeByte(e.color().ordinal());
                out.writeLong(e.pinnedAtMillis());
                out.writeLong(e.lastSeenMillis());
            }
            out.flush();
            out.writeInt((int) checked.getChecksum().getValue());
            out.flush();
        });
    }

    /** The entries of {@code file}; null when there is no such file. */
    static List<Entry> read(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        String expected = " (expected: a session table written by teal)";
        try (InputStream in = new BufferedInputStream(raw, 64 * 1024)) {
            CRC32 crc = new CRC32();
            DataInputStream data = new DataInputStream(new CheckedInputStream(in, crc));
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": unknown format" + expected);
            }
            data.readLong(); // saved at: informative
            int count = data.readInt();
            long size = Files.size(file);
            if (count < 0 || (long) count * ENTRY_BYTES + MAGIC.length + 16 != size) {
                throw new IOException(file + ": " + count + " entries in " + size + " bytes" + expected);
            }
            Color[] colors = Color.values();
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                SessionKey key = new SessionKey(data.readLong(), data.readLong());
                int color = data.readUnsignedByte();
                if (color >= colors.length) {
                    throw new IOException(file + ": entry " + i + " has color " + color + expected);
                }
                entries.add(new Entry(key, colors[color], data.readLong(), data.readLong()));
            }
            int computed = (int) crc.getValue();
            int stored = new DataInputStream(in).readInt();
            if (computed != stored) {
                throw new IOException(file + ": checksum mismatch" + expected);
            }
            return entries;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated" + expected, e);
        }
    }

    static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        StateFiles.syncDirectory(file.toAbsolutePath().getParent());
    }
}
