package dev.teal.admin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium, as installed by {@code scripts/ensure-chromium} (or {@code $TEAL_CHROMIUM}). Each call
 * runs its own browser process with its own profile directory.
 */
public final class Chromium {
    private Chromium() {}

    public static Path binary() {
        String configured = System.getenv("TEAL_CHROMIUM");
        Path binary = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: run scripts/ensure-chromium (the admin-api build"
                    + " does so before its integration tests)");
        }
        return binary;
    }

    static List<String> command(Path profile, String... extra) {
        List<String> command = new ArrayList<>(List.of(
                binary().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--window-size=1400,1250",
                "--user-data-dir=" + profile));
        command.addAll(List.of(extra));
        return command;
    }

    /**
     * A fresh profile outside JUnit's temporary directories: Chromium leaves symbolic links to its own
     * temporary files there, which JUnit would warn about.
     */
    static Path newProfile() throws IOException {
        return Files.createTempDirectory("teal-chromium-profile-");
    }

    static void deleteProfile(Path profile) {
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UncheckedIOException e) {
            // A leftover profile in /tmp is harmless.
        }
    }

    /** The page's DOM after its scripts ran for {@code budget} of virtual time. */
    public static String dumpDom(URI page, Path workDir, Duration budget) {
        Path out = workDir.resolve("dom.html");
        run(workDir, out, "--virtual-time-budget=" + budget.toMillis(), "--dump-dom", page.toString());
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG of the page after its scripts ran for {@code budget} of virtual time. */
    public static void screenshot(URI page, Path workDir, Path png, Duration budget) {
        run(
                workDir,
                workDir.resolve("screenshot.log"),
                "--virtual-time-budget=" + budget.toMillis(),
                "--screenshot=" + png.toAbsolutePath(),
                page.toString());
    }

    private static void run(Path workDir, Path stdout, String... args) {
        try {
            Path profile = newProfile();
            Process process = new ProcessBuilder(command(profile, args))
                    .redirectOutput(stdout.toFile())
                    .redirectError(workDir.resolve("chromium-stderr.log").toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish within 90s: " + String.join(" ", args));
            }
            deleteProfile(profile);
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + "; see "
                        + workDir.resolve("chromium-stderr.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
