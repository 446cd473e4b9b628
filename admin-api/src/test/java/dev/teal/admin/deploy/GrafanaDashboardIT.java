package dev.teal.admin.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.teal.admin.TealProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code deploy/grafana/teal.json} asks only for metrics a running teal exports. */
class GrafanaDashboardIT {
    private static final Pattern METRIC = Pattern.compile("\\b((?:teal|jvm|process)_[a-z0-9_]+)\\b");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    @TempDir
    Path dir;

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        JsonNode dashboard =
                JsonMapper.shared().readTree(Files.readString(DeployFilesIT.DEPLOY.resolve("grafana/teal.json")));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asString());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        Matcher variable = METRIC.matcher(dashboard.path("templating").toString());
        while (variable.find()) {
            queried.add(variable.group(1));
        }
        assertThat(queried)
                .as("the dashboard's metrics")
                .contains(
                        "teal_split_ratio",
                        "teal_sessions_active",
                        "teal_drain_remaining_sessions",
                        "teal_drain_deadline_seconds",
                        "teal_request_duration_seconds_bucket",
                        "teal_backend_up",
                        "teal_phase_runs_total");

        Set<String> exported = exported();

        assertThat(exported).as("what /metrics exports").containsAll(queried);
    }

    /** The sample names of a teal with a backend, a migration phase and one request served. */
    private Set<String> exported() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        backend.start();
        try {
            int port = backend.getAddress().getPort();
            Path conf = Files.writeString(dir.resolve("teal.conf"), """
                    teal {
                      listen = "127.0.0.1:0"
                      admin.listen = "127.0.0.1:0"
                      state-dir = "%s"
                      colors {
                        blue  { backends = ["127.0.0.1:%d"] }
                        green { backends = ["127.0.0.2:%d"] }
                      }
                      rollout.phases = [ { name = expand, trigger = before-new, command = ["true"] } ]
                    }
                    """.formatted(dir.resolve("state"), port, port));
            try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
                Matcher running = teal.awaitStderr(Pattern.compile("teal running on (\\S+:\\d+): "));
                Matcher adminAt = teal.awaitStderr(Pattern.compile("admin API and dashboard on (http://\\S+/)"));
                HttpClient http = HttpClient.newHttpClient();
                http.send(
                        HttpRequest.newBuilder(URI.create("http://" + running.group(1) + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create(adminAt.group(1) + "metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                teal.signal("TERM");
                Set<String> names = new TreeSet<>();
                metrics.lines().forEach(line -> {
                    Matcher m = SAMPLE.matcher(line);
                    if (!line.startsWith("#") && m.find()) {
                        names.add(m.group(1));
                    }
                });
                return names;
            }
        } finally {
            backend.stop(0);
        }
    }
}
