package dev.teal.admin.testing;

import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Constant load through teal from a few users that behave like browsers: each keeps a keep-alive
 * connection and its pin cookie, asks again as soon as it has an answer, and now and then starts a new
 * session. Every answer is checked: a 200 from a stub backend, of the color the session's pin cookie names
 * (its 18th byte: 1 blue, 2 green). Counts requests, failures by kind, latencies and sessions that changed
 * color.
 */
public final class SessionLoad implements AutoCloseable {
    /** How a request failed. */
    public enum Failure {
        /** An answer other than a stub backend's 200. */
        STATUS,
        /** An answer from a backend of another color than the session's pin. */
        COLOR,
        /** The connection closed before a byte of the answer: a keep-alive connection closed while idle. */
        CLOSED,
        /** The connection could not be opened: nothing listens. */
        REFUSED,
        /** An answer cut short, a reset, or no answer in time. */
        BROKEN
    }

    /** What a run measured. */
    public record Summary(
            long requests,
            long failures,
            Map<Failure, Long> failuresByKind,
            List<String> firstFailures,
            long sessions,
            long sessionsThatChangedColor,
            long blue,
            long green,
            long p50Micros,
            long p99Micros,
            long maxMicros) {
        @Override
        public String toString() {
            return String.format(
                    "requests %d, failures %d %s, sessions %d (%d changed color), blue %d, green %d,"
                            + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%s",
                    requests,
                    failures,
                    failuresByKind,
                    sessions,
                    sessionsThatChangedColor,
                    blue,
                    green,
                    p50Micros / 1000.0,
                    p99Micros / 1000.0,
                    maxMicros / 1000.0,
                    firstFailures.isEmpty() ? "" : "; first failures: " + firstFailures);
        }
    }

    private final InetSocketAddress proxy;
    private final int requestsPerSession;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<Failure, AtomicLong> byKind = new EnumMap<>(Failure.class);
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong changed = new AtomicLong();
    private final AtomicLong blue = new AtomicLong();
    private final AtomicLong green = new AtomicLong();
    private final List<String> firstFailures = Collections.synchronizedList(new ArrayList<>());
    private final List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> users = new ArrayList<>();
    private final long started = System.nanoTime();

    private SessionLoad(InetSocketAddress proxy, int users, int requestsPerSession) {
        for (Failure f : Failure.values()) {
            byKind.put(f, new AtomicLong());
        }
        this.proxy = proxy;
        this.requestsPerSession = requestsPerSession;
        for (int i = 0; i < users; i++) {
            int id = i;
            Thread t = new Thread(() -> user(id), "load-user-" + i);
            t.setDaemon(true);
            this.users.add(t);
        }
        this.users.forEach(Thread::start);
    }

    /** Starts {@code users} users against {@code proxy}; each session lasts {@code requestsPerSession}. */
    public static SessionLoad start(InetSocketAddress proxy, int users, int requestsPerSession) {
        return new SessionLoad(proxy, users, requestsPerSession);
    }

    public long requests() {
        return requests.get();
    }

    /** Stops the users (each finishes the request it is in) and sums up. */
    public Summary stop() throws InterruptedException {
        running.set(false);
        for (Thread t : users) {
            t.join(30_000);
        }
        long[] all;
        synchronized (latencies) {
            all = latencies.stream()
                    .flatMapToLong(java.util.Arrays::stream)
                    .filter(v -> v > 0)
                    .sorted()
                    .toArray();
        }
        Map<Failure, Long> kinds = new EnumMap<>(Failure.class);
        byKind.forEach((k, v) -> {
            if (v.get() > 0) {
                kinds.put(k, v.get());
            }
        });
        return new Summary(
                requests.get(),
                failures.get(),
                kinds,
                List.copyOf(firstFailures),
                sessions.get(),
                changed.get(),
                blue.get(),
                green.get(),
                percentile(all, 0.50),
                percentile(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1]);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private void user(int id) {
        long[] mine = new long[1 << 19];
        latencies.add(mine);
        int n = 0;
        RawClient connection = null;
        String cookie = null;
        String color = null;
        int left = 0;
        try {
            while (running.get()) {
                if (left == 0) {
                    cookie = null;
                    color = null;
                    left = requestsPerSession;
                    sessions.incrementAndGet();
                }
                long start = System.nanoTime();
                try {
                    if (connection == null) {
                        connection = new RawClient(proxy);
                    }
                    connection.send("GET /load/" + id + " HTTP/1.1\r\nHost: shop.example\r\n"
                            + (cookie == null ? "" : "Cookie: teal=" + cookie + "\r\n") + "\r\n");
                    RawResponse r = connection.readResponse();
                    long micros = (System.nanoTime() - start) / 1000;
                    if (n < mine.length) {
                        mine[n++] = Math.max(1, micros);
                    }
                    requests.incrementAndGet();
                    String set = r.header("set-cookie");
                    if (set != null && set.startsWith("teal=")) {
                        cookie = set.substring(5, set.indexOf(';') < 0 ? set.length() : set.indexOf(';'));
                    }
                    String answered = r.bodyText().startsWith("green")
                            ? "green"
                            : r.bodyText().startsWith("blue") ? "blue" : null;
                    if (r.status() != 200 || answered == null) {
                        fail(Failure.STATUS, r.statusLine() + " " + r.bodyText().trim());
                    } else {
                        (answered.equals("blue") ? blue : green).incrementAndGet();
                        String pinned = cookieColor(cookie);
                        if (color == null) {
                            color = answered;
                        } else if (!color.equals(answered) || (pinned != null && !pinned.equals(answered))) {
                            changed.incrementAndGet();
                            fail(
                                    Failure.COLOR,
                                    "session pinned to " + color + " (cookie " + pinned + ") answered by " + answered);
                            color = answered;
                        }
                    }
                    if ("close".equalsIgnoreCase(r.header("connection"))) {
                        connection.close();
                        connection = null;
                    }
                } catch (ConnectException e) {
                    requests.incrementAndGet();
                    fail(Failure.REFUSED, e.getMessage());
                    connection = null;
                    // Nothing listens: try again a little later rather than spin.
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                } catch (IOException e) {
                    requests.incrementAndGet();
                    // RawResponse says "connection closed" only when the stream ends before a status line.
                    boolean clean = e instanceof EOFException && "connection closed".equals(e.getMessage());
                    fail(clean ? Failure.CLOSED : Failure.BROKEN, e.toString());
                    close(connection);
                    connection = null;
                }
                left--;
            }
        } finally {
            close(connection);
        }
    }

    private void fail(Failure kind, String why) {
        failures.incrementAndGet();
        byKind.get(kind).incrementAndGet();
        if (firstFailures.size() < 10) {
            firstFailures.add(String.format("at %.1f s: %s %s", (System.nanoTime() - started) / 1e9, kind, why));
        }
    }

    /** The color a pin cookie names, or null when it is not one teal wrote. */
    static String cookieColor(String cookie) {
        if (cookie == null) {
            return null;
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cookie);
            return raw.length < 18 ? null : raw[17] == 1 ? "blue" : raw[17] == 2 ? "green" : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void close(RawClient c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Already broken.
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }
}
