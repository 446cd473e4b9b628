package dev.teal.proxy.exchange;

import dev.teal.config.TealSettings;
import dev.teal.proxy.metrics.ProxyMetrics;
import dev.teal.proxy.routing.SessionRouting;
import dev.teal.proxy.upstream.Upstreams;

/**
 * What every client connection's handlers share: the settings in force (replaced whole on reload), the
 * upstreams, the metrics and the routing. Handlers read the settings once per request.
 */
public final class ProxyRuntime {
    private volatile TealSettings settings;
    private final Upstreams upstreams;
    private final ProxyMetrics metrics;
    private final SessionRouting routing;

    public ProxyRuntime(TealSettings settings, Upstreams upstreams, ProxyMetrics metrics, SessionRouting routing) {
        this.settings = settings;
        this.upstreams = upstreams;
        this.metrics = metrics;
        this.routing = routing;
    }

    public TealSettings settings() {
        return settings;
    }

    public void settings(TealSettings next) {
        settings = next;
    }

    Upstreams upstreams() {
        return upstreams;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    SessionRouting routing() {
        return routing;
    }
}
