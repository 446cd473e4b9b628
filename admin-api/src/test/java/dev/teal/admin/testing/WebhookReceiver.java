package dev.teal.admin.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP server on 127.0.0.1 port 0 that records every JSON body POSTed to it and answers with the
 * status the test sets: a gate webhook, a notification target, a chat room.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                bodies.add(
                        body.length == 0
                                ? JSON.createObjectNode()
                                : JSON.readTree(new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    public void answer(int status) {
        this.status = status;
    }

    public List<JsonNode> bodies() {
        return List.copyOf(bodies);
    }

    /** The {@code event} field of every body received, in order. */
    public List<String> events() {
        return bodies.stream().map(b -> b.path("event").asString()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
