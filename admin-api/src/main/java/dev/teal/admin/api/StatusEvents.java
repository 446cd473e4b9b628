package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /events}: the {@code /status} view as server-sent events, pushed when it changes. A ticker
 * ({@link #run}, every {@link #TICK}) compares the view, without its time, with the last one sent: so a
 * ramp, a phase step or a drain state shows on the dashboard within a second, and nothing is sent while
 * nothing changes but a comment line every {@link #HEARTBEAT} (keeping proxies and the idle time-out from
 * closing the stream).
 *
 * <pre>
 * event: status
 * data: {"at":"...","split":{...},"rollout":{...},"colors":{...},"phases":[...]}
 * </pre>
 *
 * <p>Each event is the whole view, so a subscriber that cannot keep up (its channel not writable) just
 * misses events: the next one supersedes them. At most {@link #MAX_SUBSCRIBERS} streams at once.
 */
final class StatusEvents implements Runnable {
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
    static final Duration TICK = Duration.ofMillis(250);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final int MAX_SUBSCRIBERS = 32;

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<Map<String, Object>> status;
    private final ChannelGroup subscribers = new DefaultChannelGroup("teal-admin-events", GlobalEventExecutor.INSTANCE);
    /** Touched by the ticker thread only. */
    private byte[] lastView = new byte[0];

    private long lastSent = System.nanoTime();

    StatusEvents(Supplier<Map<String, Object>> status) {
        this.status = requireNonNull(status, "status");
    }

    /** Whether another stream would be one too many. */
    boolean full() {
        return subscribers.size() >= MAX_SUBSCRIBERS;
    }

    /** Answers {@code channel}'s {@code GET /events}: the head, the current view, then every change. */
    void subscribe(Channel channel) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                // Tells buffering reverse proxies (nginx) to pass events on at once.
                .set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(head, true);
        channel.write(head);
        channel.writeAndFlush(chunk(event(status.get())));
        subscribers.add(channel);
    }

    /** One tick: sends the view to every stream when it changed, or a heartbeat when it is time. */
    @Override
    public void run() {
        if (subscribers.isEmpty()) {
            return;
        }
        Map<String, Object> view = status.get();
        Map<String, Object> timeless = new LinkedHashMap<>(view);
        timeless.remove("at");
        byte[] compared = Json.write(timeless);
        byte[] message;
        if (!Arrays.equals(compared, lastView)) {
            lastView = compared;
            message = event(view);
        } else if (System.nanoTime() - lastSent >= HEARTBEAT.toNanos()) {
            message = KEEP_ALIVE;
        } else {
            return;
        }
        lastSent = System.nanoTime();
        for (Channel channel : subscribers) {
            if (channel.isWritable()) {
                channel.writeAndFlush(chunk(message));
            }
        }
    }

    private static byte[] event(Map<String, Object> view) {
        byte[] json = Json.write(view);
        byte[] prefix = "event: status\ndata: ".getBytes(StandardCharsets.US_ASCII);
        byte[] message = Arrays.copyOf(prefix, prefix.length + json.length + 2);
        System.arraycopy(json, 0, message, prefix.length, json.length);
        message[message.length - 2] = '\n';
        message[message.length - 1] = '\n';
        return message;
    }

    private static DefaultHttpContent chunk(byte[] bytes) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(bytes));
    }

    /** Ends every stream (the server stops). */
    void close() {
        subscribers.close();
    }
}
