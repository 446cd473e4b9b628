package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.config.PhaseSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP request, such as the new version's backfill endpoint. Success is the expected status (any 2xx
 * unless the phase names one). The answer's body is kept as the output (its tail, never all of it in
 * memory); redirects are not followed, so a 302 to a login page is a failure, not a success.
 */
final class HttpPhase implements Phase {
    private static final Duration MAX_CONNECT = Duration.ofSeconds(10);

    private final PhaseSettings settings;
    private final PhaseSettings.Http http;
    private final HttpClient client;

    HttpPhase(PhaseSettings settings, PhaseSettings.Http http) {
        this.settings = requireNonNull(settings, "settings");
        this.http = requireNonNull(http, "http");
        Duration connect = settings.timeout().compareTo(MAX_CONNECT) < 0 ? settings.timeout() : MAX_CONNECT;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public PhaseSettings settings() {
        return settings;
    }

    @Override
    public PhaseResult run(PhaseRun run) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.url())
                .timeout(run.timeout())
                .header("User-Agent", "teal phase " + settings.name())
                .method(
                        http.method(),
                        http.body().isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(http.body(), StandardCharsets.UTF_8));
        try {
            for (Map.Entry<String, String> header : http.headers().entrySet()) {
                request.header(header.getKey(), header.getValue());
            }
        } catch (IllegalArgumentException e) {
            return PhaseResult.of(PhaseState.FAILED, "cannot send the request: " + e.getMessage(), "");
        }
        OutputTail tail = new OutputTail();
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(
                request.build(),
                info -> HttpResponse.BodySubscribers.ofByteArrayConsumer(
                        chunk -> chunk.ifPresent(bytes -> tail.append(new String(bytes, StandardCharsets.UTF_8)))));
        String target = http.method() + " " + http.url();
        HttpResponse<Void> response;
        try {
            response = answer.get(run.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return PhaseResult.of(
                    PhaseState.TIMED_OUT,
                    target + ": no complete answer within " + Durations.text(run.timeout()),
                    tail.toString());
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return PhaseResult.of(PhaseState.INTERRUPTED, target + ": teal stopped while it waited", tail.toString());
        } catch (ExecutionException e) {
            return failure(target, e.getCause(), run, tail);
        }
        int status = response.statusCode();
        String output = "HTTP " + status + "\n" + tail;
        String expected =
                http.expect().isPresent() ? Integer.toString(http.expect().getAsInt()) : "2xx";
        return http.expected(status)
                ? PhaseResult.of(PhaseState.SUCCEEDED, target + ": " + status, OutputTail.of(output))
                : PhaseResult.of(
                        PhaseState.FAILED,
                        target + ": " + status + " (expected " + expected + ")",
                        OutputTail.of(output));
    }

    private static PhaseResult failure(String target, Throwable cause, PhaseRun run, OutputTail tail) {
        if (cause instanceof HttpTimeoutException) {
            return PhaseResult.of(
                    PhaseState.TIMED_OUT,
                    target + ": no complete answer within " + Durations.text(run.timeout()),
                    tail.toString());
        }
        String why;
        if (cause instanceof ConnectException) {
            why = "cannot connect (" + Optional.ofNullable(cause.getMessage()).orElse("connection refused") + ")";
        } else if (cause instanceof IOException) {
            why = Optional.ofNullable(cause.getMessage())
                    .orElse(cause.getClass().getSimpleName());
        } else {
            why = String.valueOf(cause);
        }
        return PhaseResult.of(PhaseState.FAILED, target + ": " + why, tail.toString());
    }
}
