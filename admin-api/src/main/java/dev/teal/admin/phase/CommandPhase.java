package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.config.PhaseSettings;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program run with its arguments (no shell), in teal's working directory, its standard output and
 * error captured together. Exit status 0 is success. At the timeout (or when teal stops) the whole
 * process tree gets SIGTERM, then SIGKILL after a grace period, so no grandchild outlives the phase.
 */
final class CommandPhase implements Phase {
    /** Time between SIGTERM and SIGKILL when a phase is stopped. */
    static final long GRACE_MILLIS = 1000;

    private final PhaseSettings settings;
    private final List<String> command;

    CommandPhase(PhaseSettings settings, PhaseSettings.Command kind) {
        this.settings = requireNonNull(settings, "settings");
        this.command = kind.command();
    }

    @Override
    public PhaseSettings settings() {
        return settings;
    }

    @Override
    public PhaseResult run(PhaseRun run) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(run.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return PhaseResult.of(PhaseState.FAILED, "cannot start " + command.get(0) + ": " + e.getMessage(), "");
        }
        OutputTail tail = new OutputTail();
        Thread reader = new Thread(() -> copy(process, tail), "teal-phase-" + settings.name() + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close(); // nothing to read: a program waiting for input ends at once
        } catch (IOException e) {
            // It already exited; its status says how.
        }
        try {
            if (!process.waitFor(run.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                stopTree(process);
                awaitOutput(reader);
                return PhaseResult.of(
                        PhaseState.TIMED_OUT,
                        "still running after " + Durations.text(run.timeout()) + "; its process tree was killed",
                        tail.toString());
            }
        } catch (InterruptedException e) {
            stopTree(process);
            awaitOutput(reader);
            Thread.currentThread().interrupt();
            return PhaseResult.of(
                    PhaseState.INTERRUPTED, "teal stopped while it ran; its process tree was killed", tail.toString());
        }
        awaitOutput(reader);
        int exit = process.exitValue();
        return exit == 0
                ? PhaseResult.of(PhaseState.SUCCEEDED, "exit 0", tail.toString())
                : PhaseResult.of(PhaseState.FAILED, "exit " + exit, tail.toString());
    }

    private static void copy(Process process, OutputTail tail) {
        try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                tail.append(buffer, n);
            }
        } catch (IOException e) {
            // The stream closes when the process is killed: what was read is kept.
        }
    }

    /**
     * SIGTERM to the process and every descendant, found before any dies (an orphan is no longer a
     * descendant), then SIGKILL to whatever is left after the grace period.
     */
    static void stopTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // Still alive (or we were interrupted): killed below.
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void awaitOutput(Thread reader) {
        try {
            // A detached grandchild may keep the pipe open; what was read by then is the tail.
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
