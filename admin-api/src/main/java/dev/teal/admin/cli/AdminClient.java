package dev.teal.admin.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small client of the admin API: one request, JSON back, errors turned into one clear sentence. */
final class AdminClient {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final URI base;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;

    AdminClient(URI base, Optional<String> token, Duration timeout) {
        this.base = requireNonNull(base, "base");
        this.token = requireNonNull(token, "token");
        this.timeout = requireNonNull(timeout, "timeout");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException(
                    "--admin: '" + base + "' (expected: an http:// URL like http://127.0.0.1:9901)");
        }
        // Connecting never takes long; only the answer may (a ramp runs its gating phases first).
        Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
        this.http = HttpClient.newBuilder().connectTimeout(connect).build();
    }

    JsonNode get(String pathAndQuery) {
        return send("GET", pathAndQuery);
    }

    JsonNode post(String pathAndQuery) {
        return send("POST", pathAndQuery);
    }

    private JsonNode send(String method, String pathAndQuery) {
        URI uri = base.resolve(pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new AdminCallException("cannot reach the admin API at " + base + " (connection refused)", e);
        } catch (IOException e) {
            throw new AdminCallException("cannot reach the admin API at " + base + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminCallException("interrupted", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String error =
                    body != null && body.has("error") ? body.get("error").asString() : "HTTP " + response.statusCode();
            String detail =
                    body != null && body.has("detail") ? body.get("detail").asString() : response.body();
            throw new AdminCallException(response.statusCode() + " " + error + ": " + detail, null);
        }
        if (body == null) {
            throw new AdminCallException(method + " " + uri + ": the answer is not JSON", null);
        }
        return body;
    }

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    static String pretty(JsonNode node) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /** A call failed; the message is one sentence for the operator. */
    static final class AdminCallException extends RuntimeException {
        AdminCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
