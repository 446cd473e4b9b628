package dev.teal.admin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives one headless Chromium page over the Chrome DevTools Protocol, with the JDK's own WebSocket
 * client: navigate, evaluate JavaScript, click, and collect console errors and uncaught exceptions.
 */
public final class DevTools implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private DevTools(Process process, Path profile, URI pageSocket) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(pageSocket, new Listener())
                .join();
    }

    /** Starts a browser on {@code about:blank} and attaches to its page. */
    public static DevTools launch(Path workDir) {
        try {
            Path profile = Chromium.newProfile();
            Process process = new ProcessBuilder(Chromium.command(profile, "--remote-debugging-port=0", "about:blank"))
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("chromium-devtools.log").toFile())
                    .start();
            Path portFile = profile.resolve("DevToolsActivePort");
            Poll.until(Duration.ofSeconds(30), "chromium to open its DevTools port", () -> {
                try {
                    return Files.exists(portFile)
                            && Files.readAllLines(portFile).size() >= 2;
                } catch (IOException e) {
                    return false;
                }
            });
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            JsonNode targets = JSON.readTree(HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            for (JsonNode target : targets) {
                if (target.path("type").asString().equals("page")) {
                    DevTools devTools = new DevTools(
                            process,
                            profile,
                            URI.create(target.path("webSocketDebuggerUrl").asString()));
                    devTools.call("Runtime.enable", Map.of());
                    devTools.call("Log.enable", Map.of());
                    devTools.call("Page.enable", Map.of());
                    return devTools;
                }
            }
            process.destroyForcibly();
            Chromium.deleteProfile(profile);
            throw new IllegalStateException("chromium has no page target: " + targets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Console errors, uncaught exceptions and failed loads the page reported so far. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    public void navigate(URI uri) {
        call("Page.navigate", Map.of("url", uri.toString()));
        Poll.until(Duration.ofSeconds(20), "the page to load", () -> "complete"
                .equals(evaluate("document.readyState").asString()));
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its JSON value. */
    public JsonNode evaluate(String expression) {
        JsonNode result =
                call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("'" + expression + "' threw: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits until {@code expression} is truthy in the page. */
    public void waitFor(String expression, Duration timeout) {
        Poll.until(timeout, expression, () -> evaluate("!!(" + expression + ")").asBoolean());
    }

    public JsonNode call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(message.toString(), true).join();
        JsonNode reply;
        try {
            reply = answer.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(method + ": no answer from chromium", e);
        }
        if (reply.has("error")) {
            throw new AssertionError(method + ": " + reply.path("error"));
        }
        return reply.path("result");
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The browser goes away next anyway.
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Chromium.deleteProfile(profile);
    }

    private void onMessage(String text) {
        JsonNode message = JSON.readTree(text);
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer =
                    pending.remove(message.path("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        JsonNode params = message.path("params");
        switch (message.path("method").asString()) {
            case "Runtime.consoleAPICalled" -> {
                String type = params.path("type").asString();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + params.path("args"));
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("uncaught: " + params.path("exceptionDetails"));
            case "Log.entryAdded" -> {
                if (params.path("entry").path("level").asString().equals("error")) {
                    errors.add("log: " + params.path("entry").path("text").asString() + " "
                            + params.path("entry").path("url").asString(""));
                }
            }
            default -> {}
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                onMessage(text);
            }
            webSocket.request(1);
            return null;
        }
    }
}
