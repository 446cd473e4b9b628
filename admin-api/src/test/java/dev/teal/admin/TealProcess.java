package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code teal} launcher in a child JVM, as an operator or a supervisor runs it: real arguments,
 * real signals, real exit codes. Output is collected line by line; waits have deadlines.
 */
public final class TealProcess implements AutoCloseable {
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Process process;
    private final Output stdout;
    private final Output stderr;

    private final Thread killOnExit;

    private TealProcess(Process process) {
        this.process = process;
        this.stdout = Output.pump(process.getInputStream(), "teal-stdout");
        this.stderr = Output.pump(process.getErrorStream(), "teal-stderr");
        // A test JVM stopped mid-test (SIGTERM, Ctrl-C on the build) must not leave a teal running.
        this.killOnExit = new Thread(process::destroyForcibly, "kill-teal-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Runs {@code dev.teal.admin.Teal} on this JVM's class path, with the production logging (INFO to
     * stderr) and Netty's leak detection at its strictest.
     */
    public static TealProcess start(Path workingDirectory, String... args) {
        return start(workingDirectory, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with more JVM options (a heap size, say). */
    public static TealProcess start(Path workingDirectory, List<String> jvmOptions, String... args) {
        return start(workingDirectory, jvmOptions, Map.of(), args);
    }

    /** As {@link #start(Path, List, String...)}, with more environment variables. */
    public static TealProcess start(
            Path workingDirectory, List<String> jvmOptions, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dlogback.configurationFile=logback.xml",
                "-Dio.netty.leakDetection.level=paranoid",
                "dev.teal.admin.Teal"));
        command.addAll(List.of(args));
        return start(workingDirectory, command, environment);
    }

    /**
     * As {@link #start(Path, String...)}, under a descriptor limit of {@code descriptors} (soft and hard,
     * as {@code ulimit -n} sets them), so the JVM cannot raise it.
     */
    public static TealProcess startWithDescriptorLimit(Path workingDirectory, int descriptors, String... args) {
        List<String> command = new ArrayList<>(List.of(
                "sh",
                "-c",
                "ulimit -n " + descriptors + " && exec \"$@\"",
                "sh",
                java(),
                "-cp",
                System.getProperty("java.class.path")));
        command.addAll(List.of(
                "-Dlogback.configurationFile=logback.xml",
                "-Dio.netty.leakDetection.level=paranoid",
                "dev.teal.admin.Teal"));
        command.addAll(List.of(args));
        return start(workingDirectory, command);
    }

    /** Runs the shaded jar the way the README says: {@code java -jar teal.jar ...}. */
    static TealProcess startJar(Path jar, Path workingDirectory, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return start(workingDirectory, command);
    }

    private static TealProcess start(Path workingDirectory, List<String> command) {
        return start(workingDirectory, command, Map.of());
    }

    private static TealProcess start(Path workingDirectory, List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
            builder.environment().putAll(environment);
            return new TealProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, {@code HUP}) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .as("kill -%s finished", name)
                .isTrue();
        assertThat(kill.exitValue()).as("kill -%s exit code", name).isZero();
    }

    /** Waits for the process to exit and for all its output; fails the test past the deadline. */
    public int exitCode() throws InterruptedException {
        boolean exited = process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(exited)
                .as("teal exited within %s; stdout:%n%s%nstderr:%n%s", DEADLINE, stdout(), stderr())
                .isTrue();
        stdout.awaitEnd();
        stderr.awaitEnd();
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return stdout.text();
    }

    public String stderr() {
        return stderr.text();
    }

    public List<String> stderrLines() {
        return stderr.lines();
    }

    /** The first match of {@code pattern} in a stdout line, waiting for it until the deadline. */
    public Matcher awaitStdout(Pattern pattern) throws InterruptedException {
        return await(stdout, pattern, "stdout");
    }

    /** The first match of {@code pattern} in a stderr line, waiting for it until the deadline. */
    public Matcher awaitStderr(Pattern pattern) throws InterruptedException {
        return await(stderr, pattern, "stderr");
    }

    private Matcher await(Output output, Pattern pattern, String name) throws InterruptedException {
        Optional<Matcher> match = output.await(pattern, DEADLINE);
        assertThat(match)
                .as("%s matching /%s/ within %s; stdout:%n%s%nstderr:%n%s", name, pattern, DEADLINE, stdout(), stderr())
                .isPresent();
        return match.orElseThrow();
    }

    /** Stops the process if a failed test left it running. */
    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
        if (process.isAlive()) {
            process.destroyForcibly();
            process.onExit().orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        }
    }

    /** One output stream, read by its own thread into lines that waiters are woken for. */
    private static final class Output {
        private final List<String> lines = new ArrayList<>();
        private boolean ended;

        static Output pump(InputStream stream, String name) {
            Output output = new Output();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                            in.lines().forEach(output::add);
                        } catch (IOException | UncheckedIOException e) {
                            output.add("(reading " + name + " failed: " + e + ")");
                        } finally {
                            output.end();
                        }
                    },
                    name);
            reader.setDaemon(true);
            reader.start();
            return output;
        }

        private synchronized void add(String line) {
            lines.add(line);
            notifyAll();
        }

        private synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized Optional<Matcher> await(Pattern pattern, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Optional<Matcher> match = lines.stream()
                        .map(pattern::matcher)
                        .filter(Matcher::find)
                        .findFirst();
                long left = deadline - System.nanoTime();
                if (match.isPresent() || ended || left <= 0) {
                    return match;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized void awaitEnd() throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!ended) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("output ended within %s", DEADLINE).isPositive();
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }
}
