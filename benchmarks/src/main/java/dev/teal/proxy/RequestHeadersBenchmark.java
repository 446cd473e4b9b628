package dev.teal.proxy;

import dev.teal.config.ForwardingSettings;
import dev.teal.proxy.wire.RequestHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rewriting a decoded request head for the backend with the reference forwarding settings ({@link
 * RequestHeaders#rewrite}: hop-by-hop headers out, underscore names dropped, {@code X-Forwarded-*} and
 * {@code Via}). {@code rewrite} changes the request, so every operation first copies a head decoded by
 * Netty at setup; {@code copyOnly} measures that copy alone, to subtract. Lives in {@code dev.teal.proxy}
 * because {@code RequestHeaders} is package-private.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RequestHeadersBenchmark -f1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(time = 2)
@Measurement(time = 2)
public class RequestHeadersBenchmark {
    /** reference.conf's teal.forwarding. */
    private static final ForwardingSettings FORWARDING = new ForwardingSettings(true, false, true, "teal", true);

    @Param({"TOOL", "BROWSER"})
    public String head;

    private HttpRequest decoded;
    private RequestHeaders headers;

    @Setup
    public void setUp() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(RequestHeads.valueOf(head).bytes()));
        decoded = channel.readInbound();
        ReferenceCountUtil.release(channel.readInbound());
        channel.finishAndReleaseAll();
        headers = new RequestHeaders(new InetSocketAddress("203.0.113.7", 50312));
    }

    @Benchmark
    public HttpRequest copyOnly() {
        return copy();
    }

    @Benchmark
    public HttpRequest rewrite() {
        HttpRequest request = copy();
        headers.rewrite(request, FORWARDING);
        return request;
    }

    private HttpRequest copy() {
        return new DefaultHttpRequest(
                decoded.protocolVersion(),
                decoded.method(),
                decoded.uri(),
                decoded.headers().copy());
    }
}
