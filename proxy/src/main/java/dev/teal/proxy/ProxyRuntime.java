package dev.teal.proxy;

import dev.teal.config.TealSettings;
import dev.teal.proxy.upstream.Upstreams;

/**
 * What every client connection's handlers share: the settings in force (replaced whole on reload), the
 * upstreams, the metrics and the routing. Handlers read the settings once per request.
 */
final class ProxyRuntime {
    private volatile TealSettings settings;
    private final Upstreams upstreams;
    private final ProxyMetrics metrics;
    private final SessionRouting routing;

    ProxyRuntime(TealSettings settings, Upstreams upstreams, ProxyMetrics metrics, SessionRouting routing) {
        this.settings = settings;
        this.upstreams = upstreams;
        this.metrics = metrics;
        this.routing = routing;
    }

    TealSettings settings() {
        return settings;
    }

    void settings(TealSettings next) {
        settings = next;
    }

    Upstreams upstreams() {
        return upstreams;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    SessionRouting routing() {
        return routing;
    }
}
