package dev.teal.admin.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.Postgres;
import dev.teal.admin.testing.PrometheusTextParser;
import dev.teal.admin.testing.Sql;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole release of the demo over the real admin API and the real proxy, against H2 and PostgreSQL:
 * expand gates the first step (green's first session finds its column), backfill runs at 100 %, the
 * contract waits for blue to drain, and the ramp back is then refused.
 */
class ReleaseIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static Postgres postgres;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startPostgres() {
        postgres = Postgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void releasesOnH2() throws Exception {
        release(DemoDatabase::h2);
    }

    @Test
    void releasesOnPostgres() throws Exception {
        String url = postgres.newDatabase();
        release(workDir -> DemoDatabase.at(url, "postgres", "", workDir));
    }

    private void release(Function<Path, DemoDatabase> database) throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Demo demo = Demo.start(0, 0, 0, 0, meters, Duration.ofSeconds(1), database);
                HeldRequest onBlue = HeldRequest.open(demo.proxyAddress())) {
            DemoDatabase db = demo.database();
            JsonNode before = customers(demo.proxyAddress());
            assertThat(before.path("version").asString()).isEqualTo("v1");
            assertThat(before.path("customers").get(0).path("name").asString()).isEqualTo("Ada Lovelace");

            // Expand gates the first step: it has run when the ramp answers, before any session went green.
            HttpResponse<String> first = admin(demo, "POST", "/ramp?green=50");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            JsonNode expand = JSON.readTree(first.body()).path("phases").get(0);
            assertThat(expand.path("name").asString()).isEqualTo("expand");
            assertThat(expand.path("status").asString()).isEqualTo("succeeded");
            assertThat(Sql.columns(db.url(), db.user(), db.password(), "customer"))
                    .contains("full_name");
            JsonNode green = firstGreenAnswer(demo.proxyAddress());
            assertThat(green.path("error").isNull()).as(green.toString()).isTrue();
            assertThat(green.path("customers").get(0).path("name").isNull()).isTrue();

            // Backfill runs in the background once green has every new session.
            HttpResponse<String> all = admin(demo, "POST", "/ramp?green=100");
            assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
            assertThat(JSON.readTree(all.body())
                            .path("phases")
                            .get(0)
                            .path("status")
                            .asString())
                    .isEqualTo("started");
            Poll.until(
                    WAIT, "backfill to succeed", () -> phase(demo, "backfill").equals("succeeded"));
            assertThat(customers(demo.proxyAddress())
                            .path("customers")
                            .get(0)
                            .path("name")
                            .asString())
                    .isEqualTo("Ada Lovelace");

            // Blue still has a request in flight: it has not drained, and the contract waits.
            Poll.holds(Duration.ofMillis(400), "contract to wait while blue drains", () -> phase(demo, "contract")
                    .equals("pending"));
            assertThat(Sql.columns(db.url(), db.user(), db.password(), "customer"))
                    .containsExactly("id", "first_name", "last_name", "full_name");
            assertThat(onBlue.finish()).startsWith("HTTP/1.1 405");

            Poll.until(
                    WAIT,
                    "the rollout to be contracted",
                    () -> status(demo).path("rollout").path("state").asString().equals("contracted"));
            assertThat(phase(demo, "contract")).isEqualTo("succeeded");
            assertThat(Sql.columns(db.url(), db.user(), db.password(), "customer"))
                    .containsExactly("id", "full_name");

            // The old version cannot read the contracted schema, and teal will not send it users.
            HttpResponse<String> back = admin(demo, "POST", "/ramp?green=0");
            assertThat(back.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(back.body()).path("detail").asString())
                    .startsWith("the old version cannot run on the contracted schema");
            HttpResponse<String> blueNow = get(demo.blueAddress(), "/api/customers");
            assertThat(blueNow.statusCode()).isEqualTo(500);
            assertThat(status(demo).path("split").path("green").asInt()).isEqualTo(100);
            assertThat(
                            PrometheusTextParser.parseText(
                                            admin(demo, "GET", "/metrics").body())
                                    .get("teal_phase_runs_total")
                                    .samples()
                                    .stream()
                                    .filter(s -> s.labels().get("outcome").equals("succeeded"))
                                    .mapToDouble(PrometheusTextParser.Sample::value)
                                    .sum())
                    .isEqualTo(3.0);
        } finally {
            meters.close();
        }
    }

    /** New clients through teal until one lands on green; its answer. */
    private JsonNode firstGreenAnswer(InetSocketAddress proxy) {
        JsonNode[] green = new JsonNode[1];
        Poll.until(WAIT, "a new session on green", () -> {
            JsonNode answer = customers(proxy);
            green[0] = answer;
            return answer.path("version").asString().equals("v2");
        });
        return green[0];
    }

    private JsonNode customers(InetSocketAddress proxy) {
        return JSON.readTree(get(proxy, "/api/customers").body());
    }

    private String phase(Demo demo, String name) {
        for (JsonNode phase : status(demo).path("phases")) {
            if (phase.path("name").asString().equals(name)) {
                return phase.path("state").asString();
            }
        }
        throw new AssertionError("no phase " + name);
    }

    private JsonNode status(Demo demo) {
        return JSON.readTree(admin(demo, "GET", "/status").body());
    }

    private HttpResponse<String> admin(Demo demo, String method, String path) {
        return send(HttpRequest.newBuilder(demo.adminUri().resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private HttpResponse<String> get(InetSocketAddress address, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request through teal, to blue, whose body is only partly sent: blue has it in flight until finished. */
    private static final class HeldRequest implements AutoCloseable {
        private final Socket socket;

        private HeldRequest(Socket socket) {
            this.socket = socket;
        }

        static HeldRequest open(InetSocketAddress proxy) throws IOException {
            Socket socket = new Socket(proxy.getAddress(), proxy.getPort());
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/customers HTTP/1.1\r\nHost: demo\r\nContent-Length: 20\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new HeldRequest(socket);
        }

        /** Sends the rest of the body; the status line of the answer. */
        String finish() throws IOException {
            socket.getOutputStream().write("0123456789".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
