package dev.teal.admin.plan;

import dev.teal.admin.plan.CheckResult.Outcome;
import dev.teal.config.PlanSettings.Webhook;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plan's HTTP calls out: gates asked before a step (every one must answer 2xx) and notifications of
 * every event (best effort, in the background, never holding the plan up).
 */
final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Webhook> gates;
    private final List<Webhook> notifications;
    private final ExecutorService executor;
    private final HttpClient http;

    Webhooks(List<Webhook> gates, List<Webhook> notifications) {
        this.gates = List.copyOf(gates);
        this.notifications = List.copyOf(notifications);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "teal-plan-webhooks");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** Asks every gate about {@code body}; the result passes only when each answered 2xx in time. */
    CheckResult ask(Map<String, Object> body) {
        if (gates.isEmpty()) {
            return new CheckResult(Analysis.WEBHOOKS, Outcome.SKIPPED, "-", "2xx", "no webhook configured");
        }
        byte[] json = JSON.writeValueAsBytes(body);
        List<String> answers = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Webhook gate : gates) {
            String answer = call(gate, json);
            answers.add(answer);
            if (!answer.startsWith("2")) {
                refusals.add(gate.url() + " answered " + answer);
            }
        }
        return refusals.isEmpty()
                ? new CheckResult(
                        Analysis.WEBHOOKS,
                        Outcome.PASS,
                        String.join(", ", answers),
                        "2xx",
                        "every webhook answered 2xx")
                : new CheckResult(
                        Analysis.WEBHOOKS,
                        Outcome.FAIL,
                        String.join(", ", answers),
                        "2xx",
                        "held: " + String.join("; ", refusals));
    }

    /** The status code as text, or what went wrong instead. */
    private String call(Webhook gate, byte[] json) {
        try {
            HttpResponse<Void> response = http.send(request(gate, json), HttpResponse.BodyHandlers.discarding());
            return Integer.toString(response.statusCode());
        } catch (HttpTimeoutException e) {
            return "nothing within " + gate.timeout().toMillis() + " ms";
        } catch (IOException e) {
            return "nothing (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "nothing (interrupted)";
        }
    }

    /** Tells every notification webhook about {@code event}, in the background. */
    void tell(Map<String, Object> event) {
        if (notifications.isEmpty()) {
            return;
        }
        byte[] json = JSON.writeValueAsBytes(event);
        for (Webhook target : notifications) {
            http.sendAsync(request(target, json), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        if (failure != null) {
                            log.warn("Notification to {} failed: {}", target.url(), failure.toString());
                        } else if (response.statusCode() / 100 != 2) {
                            log.warn("Notification to {} answered {}", target.url(), response.statusCode());
                        }
                    });
        }
    }

    private static HttpRequest request(Webhook hook, byte[] json) {
        return HttpRequest.newBuilder(hook.url())
                .timeout(hook.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "teal")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
    }

    Executor executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
