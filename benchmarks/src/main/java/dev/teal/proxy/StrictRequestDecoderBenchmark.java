package dev.teal.proxy;

import dev.teal.proxy.wire.StrictRequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
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
 * Decoding one request head on a keep-alive connection: teal's {@link StrictRequestDecoder} (the byte-level
 * check, then Netty's parser) against Netty's {@link HttpRequestDecoder} alone with the same settings, so
 * the difference is the cost of the check. Both run in an {@link EmbeddedChannel}, whose own cost is in
 * both figures, as is copying the head into a buffer of the channel's allocator (as a socket read would). Lives in {@code dev.teal.proxy} because the decoder is package-private.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar StrictRequestDecoderBenchmark -f1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(time = 2)
@Measurement(time = 2)
public class StrictRequestDecoderBenchmark {
    @Param({"TOOL", "BROWSER"})
    public String head;

    @Param({"strict", "netty"})
    public String decoder;

    private byte[] bytes;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() {
        // As ClientChannelInitializer configures it with the reference settings.
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16384)
                .setMaxChunkSize(65536)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
        channel = new EmbeddedChannel(
                decoder.equals("strict") ? new StrictRequestDecoder(config) : new HttpRequestDecoder(config));
        bytes = RequestHeads.valueOf(head).bytes();
    }

    @TearDown
    public void tearDown() {
        if (channel.finishAndReleaseAll()) {
            throw new IllegalStateException("decoder: " + decoder + " (expected: nothing left over)");
        }
    }

    @Benchmark
    public HttpRequest decode() {
        // As from a socket read: a fresh buffer of the channel's allocator, released by the decoder.
        ByteBuf in = channel.alloc().directBuffer(bytes.length).writeBytes(bytes);
        channel.writeInbound(in);
        HttpRequest request = channel.readInbound();
        Object last = channel.readInbound();
        if (request.decoderResult().isFailure() || !(last instanceof LastHttpContent)) {
            throw new IllegalStateException("request: " + request + " (expected: a valid head without body)");
        }
        ReferenceCountUtil.release(last);
        return request;
    }
}
