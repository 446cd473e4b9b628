package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /metrics}: the Prometheus exposition of every meter in the registry, as text, or as
 * OpenMetrics when {@code Accept} asks for it.
 */
final class MetricsEndpoint implements Endpoint {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams.parse(request, List.of());
        String accept = request.headers().get(HttpHeaderNames.ACCEPT, "").toLowerCase(Locale.ROOT);
        String contentType = accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
        return ApiResponse.text(HttpResponseStatus.OK, contentType, registry.scrape(contentType));
    }
}
