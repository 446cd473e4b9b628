package dev.teal.proxy.metrics;

import dev.teal.config.Color;
import dev.teal.proxy.traffic.TrafficWindows;
import dev.teal.proxy.upstream.BackendState;
import dev.teal.proxy.upstream.UpstreamEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every meter of the data plane, named in one place. Meters are looked up once here, so the per-request
 * path only increments (no tag lookups, no allocation).
 */
public final class ProxyMetrics implements UpstreamEvents {
    /** Bounded reasons for answers teal gives itself instead of a backend. */
    public enum Refusal {
        BAD_REQUEST("bad_request"),
        URI_TOO_LONG("uri_too_long"),
        HEADERS_TOO_LARGE("headers_too_large"),
        MISDIRECTED("misdirected"),
        BODY_TOO_LARGE("body_too_large"),
        EXPECTATION_FAILED("expectation_failed"),
        HEAD_TIMEOUT("head_timeout"),
        BODY_TIMEOUT("body_timeout"),
        TOO_MANY_CONNECTIONS("too_many_connections");

        final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }
    }

    /** Bounded kinds of backend trouble. */
    public enum UpstreamError {
        CONNECT_FAILED("connect_failed"),
        NO_BACKEND("no_backend"),
        CLOSED_BEFORE_RESPONSE("closed_before_response"),
        BAD_RESPONSE("bad_response"),
        RESPONSE_TIMEOUT("response_timeout"),
        ABORTED_RESPONSE("aborted_response"),
        RETRIED("retried");

        final String tag;

        UpstreamError(String tag) {
            this.tag = tag;
        }
    }

    /** Why the listener failed to accept a connection. */
    public enum AcceptError {
        /** EMFILE: this process's descriptor limit. */
        PROCESS_DESCRIPTORS("process_descriptors"),
        /** ENFILE: the system's descriptor table. */
        SYSTEM_DESCRIPTORS("system_descriptors"),
        OTHER("other");

        final String tag;

        AcceptError(String tag) {
            this.tag = tag;
        }
    }

    private static final String[] CODE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final TrafficWindows windows;
    private final Map<Color, Counter[]> requests = new EnumMap<>(Color.class);
    private final Map<Color, Timer> durations = new EnumMap<>(Color.class);
    private final Map<Color, Map<UpstreamError, Counter>> upstreamErrors = new EnumMap<>(Color.class);
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);
    private final Map<AcceptError, Counter> acceptErrors = new EnumMap<>(AcceptError.class);
    private final Map<Color, AtomicLong> upstreamOpen = new EnumMap<>(Color.class);
    private final AtomicLong clientConnections = new AtomicLong();
    private final Map<BackendState, Gauge> backendGauges = new ConcurrentHashMap<>();

    public ProxyMetrics(MeterRegistry registry, TrafficWindows windows) {
        this.registry = registry;
        this.windows = windows;
        for (Color c : Color.values()) {
            Counter[] byClass = new Counter[CODE_CLASSES.length];
            for (int i = 0; i < byClass.length; i++) {
                byClass[i] = Counter.builder("teal.requests")
                        .description("Requests answered, by color and status class")
                        .tags("color", c.id(), "code_class", CODE_CLASSES[i])
                        .register(registry);
            }
            requests.put(c, byClass);
            durations.put(
                    c,
                    Timer.builder("teal.request.duration")
                            .description("Time from a request's head to the end of its response")
                            .tag("color", c.id())
                            .publishPercentileHistogram()
                            .register(registry));
            Map<UpstreamError, Counter> errors = new EnumMap<>(UpstreamError.class);
            for (UpstreamError e : UpstreamError.values()) {
                errors.put(
                        e,
                        Counter.builder("teal.upstream.errors")
                                .description("Backend failures seen by teal, by color and kind")
                                .tags("color", c.id(), "kind", e.tag)
                                .register(registry));
            }
            upstreamErrors.put(c, errors);
            AtomicLong open = new AtomicLong();
            upstreamOpen.put(c, open);
            Gauge.builder("teal.upstream.connections", open, AtomicLong::get)
                    .description("Open connections from teal to the backends of a color")
                    .tags("color", c.id(), "state", "open")
                    .register(registry);
        }
        for (Refusal r : Refusal.values()) {
            refusals.put(
                    r,
                    Counter.builder("teal.requests.refused")
                            .description("Requests teal answered itself without asking a backend, by reason")
                            .tag("reason", r.tag)
                            .register(registry));
        }
        for (AcceptError e : AcceptError.values()) {
            acceptErrors.put(
                    e,
                    Counter.builder("teal.accept.errors")
                            .description("Connections the listener failed to accept, by reason; accepting pauses"
                                    + " briefly after each")
                            .tag("reason", e.tag)
                            .register(registry));
        }
        Gauge.builder("teal.client.connections", clientConnections, AtomicLong::get)
                .description("Open client connections")
                .register(registry);
    }

    public void requestCompleted(Color color, int status, long durationNanos) {
        int cls = status / 100 - 1;
        if (cls >= 0 && cls < CODE_CLASSES.length) {
            requests.get(color)[cls].increment();
        }
        durations.get(color).record(durationNanos, TimeUnit.NANOSECONDS);
        windows.record(color, status, durationNanos);
    }

    /** The sliding-window counters behind {@link TrafficControl#traffic}. */
    public TrafficWindows windows() {
        return windows;
    }

    public void refused(Refusal reason) {
        refusals.get(reason).increment();
    }

    public void acceptFailed(AcceptError reason) {
        acceptErrors.get(reason).increment();
    }

    public void upstreamError(Color color, UpstreamError error) {
        upstreamErrors.get(color).get(error).increment();
    }

    public void clientConnected() {
        clientConnections.incrementAndGet();
    }

    public void clientDisconnected() {
        clientConnections.decrementAndGet();
    }

    @Override
    public void connectionOpened(BackendState backend) {
        upstreamOpen.get(backend.color()).incrementAndGet();
    }

    @Override
    public void connectionClosed(BackendState backend) {
        upstreamOpen.get(backend.color()).decrementAndGet();
    }

    /** Registers {@code teal_backend_up} for new backends and removes it for backends that left. */
    public void trackBackends(Iterable<BackendState> current) {
        java.util.Set<BackendState> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (BackendState b : current) {
            seen.add(b);
            backendGauges.computeIfAbsent(b, x -> Gauge.builder(
                            "teal.backend.up", x, s -> s.healthy(System.nanoTime()) ? 1 : 0)
                    .description("1 when the backend gets requests (health check passing, not ejected)")
                    .tags(Tags.of(
                            "color", x.color().id(), "backend", x.backend().toString()))
                    .strongReference(true)
                    .register(registry));
        }
        backendGauges.entrySet().removeIf(e -> {
            if (!seen.contains(e.getKey())) {
                registry.remove(e.getValue());
                return true;
            }
            return false;
        });
    }
}
