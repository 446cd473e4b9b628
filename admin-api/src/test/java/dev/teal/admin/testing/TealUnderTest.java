package dev.teal.admin.testing;

import dev.teal.admin.TealProcess;
import dev.teal.proxy.testing.StubBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code teal run} in a child JVM in front of stub backends in this one (two per color unless told), with
 * its configuration file, its proxy address and its admin URI: what the catalogue's process-level rows
 * (SIGTERM, SIGHUP, kill -9, load with faults, thousands of slow clients) run against.
 */
public final class TealUnderTest implements AutoCloseable {
    private static final Pattern RUNNING =
            Pattern.compile("teal running on (\\S+):(\\d+): .* admin API and dashboard on (http://\\S+)");

    public final List<StubBackend> blue = new ArrayList<>();
    public final List<StubBackend> green = new ArrayList<>();
    private final Path dir;
    private final Path conf;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String extra;
    private TealProcess process;
    private InetSocketAddress proxy;
    private URI admin;

    private TealUnderTest(Path dir, int perColor, String extra) {
        this.dir = dir;
        this.conf = dir.resolve("teal.conf");
        this.extra = extra;
        for (int i = 1; i <= perColor; i++) {
            blue.add(StubBackend.start("blue-" + i));
            green.add(StubBackend.start("green-" + i));
        }
    }

    /**
     * Starts backends and {@code teal run}; {@code extra} is HOCON inside {@code teal { }} (limits, time-outs),
     * {@code jvmOptions} go to the child JVM.
     */
    public static TealUnderTest start(Path dir, int perColor, String extra, List<String> jvmOptions) {
        TealUnderTest t = new TealUnderTest(dir, perColor, extra);
        try {
            Files.createDirectories(dir);
            t.writeConf();
            t.launch(jvmOptions);
            return t;
        } catch (RuntimeException | IOException | InterruptedException e) {
            t.close();
            throw new IllegalStateException("teal did not start: " + e, e);
        }
    }

    /** Starts teal again on the same configuration and state directory (after a kill, say). */
    public void restart(List<String> jvmOptions) throws IOException, InterruptedException {
        if (process != null) {
            process.close();
        }
        launch(jvmOptions);
    }

    private void launch(List<String> jvmOptions) throws InterruptedException {
        process = TealProcess.start(dir, jvmOptions, "run", "-c", conf.toString());
        Matcher running = process.awaitStderr(RUNNING);
        proxy = new InetSocketAddress(running.group(1), Integer.parseInt(running.group(2)));
        admin = URI.create(running.group(3));
    }

    /** Rewrites the configuration file with other extra settings (for a reload). */
    public void reconfigure(String extraSettings) throws IOException {
        this.extra = extraSettings;
        writeConf();
    }

    private void writeConf() throws IOException {
        Files.writeString(conf, """
                teal {
                  listen = "127.0.0.1:0"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  colors {
                    blue  { backends = [%s] }
                    green { backends = [%s] }
                  }
                  %s
                }
                """.formatted(
                        dir.resolve("state").toString().replace('\\', '/'), addresses(blue), addresses(green), extra));
    }

    private static String addresses(List<StubBackend> backends) {
        return backends.stream()
                .map(b -> "\"127.0.0.1:" + b.address().getPort() + "\"")
                .collect(Collectors.joining(", "));
    }

    public InetSocketAddress proxy() {
        return proxy;
    }

    public TealProcess process() {
        return process;
    }

    public Path stateDir() {
        return dir.resolve("state");
    }

    /** An admin call: {@code POST /ramp?green=25}, {@code GET /status}. */
    public HttpResponse<String> admin(String method, String pathAndQuery) {
        try {
            return http.send(
                    HttpRequest.newBuilder(admin.resolve(pathAndQuery))
                            .timeout(Duration.ofSeconds(30))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        blue.forEach(StubBackend::close);
        green.forEach(StubBackend::close);
    }
}
