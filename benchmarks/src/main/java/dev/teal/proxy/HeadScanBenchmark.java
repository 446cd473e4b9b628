package dev.teal.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The byte-level head check of {@link StrictRequestDecoder} alone: as it is on main ({@code getByte}, each
 * byte and its predecessor read through the buffer's checked accessors) and as a {@link ByteProcessor} over
 * {@code forEachByte} (unchecked reads, the previous byte kept in a field), a proposal measured before
 * anyone changes the decoder. On 2026-11-21 both cost the same, about 1.4 ns a byte: the time goes into
 * the branches per byte, not the accessors, so a faster check would have to test eight bytes at a time.
 *
 * <p>The copy keeps main's signed comparison {@code b < 0x20}, which also rejects every byte from 0x80 up;
 * the processor compares unsigned, so obs-text in a field value (RFC 9110 §5.5) passes. {@link #setUp}
 * checks that both accept the measured heads whole.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar HeadScanBenchmark -f1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(time = 2)
@Measurement(time = 2)
public class HeadScanBenchmark {
    private static final int BAD = -1;

    @Param({"TOOL", "BROWSER"})
    public String head;

    private ByteBuf bytes;
    private final HeadProcessor processor = new HeadProcessor();

    @Setup
    public void setUp() {
        // From the allocator the event loops read into, so both scans see the buffer class production sees.
        bytes = ByteBufAllocator.DEFAULT
                .directBuffer()
                .writeBytes(RequestHeads.valueOf(head).bytes());
        if (getByteScan() != bytes.readableBytes() || processorScan() != bytes.readableBytes()) {
            throw new IllegalStateException("head: " + head + " (expected: both scans accept it whole)");
        }
    }

    @TearDown
    public void tearDown() {
        bytes.release();
    }

    /** The loop of {@code StrictRequestDecoder.scanHead} on main, for a whole head in one buffer. */
    @Benchmark
    public int getByteScan() {
        ByteBuf in = bytes;
        int start = in.readerIndex();
        int lineStart = 0;
        boolean firstLine = true;
        int limit = in.readableBytes();
        for (int i = 0; i < limit; i++) {
            byte b = in.getByte(start + i);
            if (b == '\n') {
                if (i == 0 || in.getByte(start + i - 1) != '\r') {
                    return BAD;
                }
                if (i - 1 == lineStart && !firstLine) {
                    return i + 1;
                }
                lineStart = i + 1;
                firstLine = false;
                continue;
            }
            if (i > 0 && in.getByte(start + i - 1) == '\r') {
                return BAD;
            }
            if (b == '\r') {
                continue;
            }
            if (i == lineStart && !firstLine && (b == ' ' || b == '\t')) {
                return BAD;
            }
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                return BAD;
            }
        }
        return 0;
    }

    /** The same rules as a {@link ByteProcessor}. */
    @Benchmark
    public int processorScan() {
        processor.reset();
        bytes.forEachByte(bytes.readerIndex(), bytes.readableBytes(), processor);
        return processor.verdict;
    }

    /** Keeps its position and the previous byte, so it could also resume on a head that arrives in parts. */
    private static final class HeadProcessor implements ByteProcessor {
        int verdict;
        private int index;
        private int lineStart;
        private boolean firstLine;
        private byte previous;

        void reset() {
            verdict = 0;
            index = 0;
            lineStart = 0;
            firstLine = true;
            previous = 0;
        }

        @Override
        public boolean process(byte b) {
            int i = index++;
            byte before = previous;
            previous = b;
            if (b == '\n') {
                if (before != '\r') {
                    verdict = BAD;
                    return false;
                }
                if (i - 1 == lineStart && !firstLine) {
                    verdict = i + 1;
                    return false;
                }
                lineStart = i + 1;
                firstLine = false;
                return true;
            }
            int c = b & 0xff;
            if (before == '\r' || (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                verdict = BAD;
                return false;
            }
            if (i == lineStart && !firstLine && (b == ' ' || b == '\t')) {
                verdict = BAD;
                return false;
            }
            return true;
        }
    }
}
