package dev.teal.admin.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files under {@code deploy/} as the tools that read them see them. The build installs the tools
 * ({@code scripts/ensure-deploy-tools}) before the integration tests.
 */
class DeployFilesIT {
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutASingleWarning() throws Exception {
        // An installed system in miniature: the unit where the package puts it, the programs it runs, and
        // this machine's own units (the targets it orders itself after).
        Path root = dir.resolve("root");
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(DEPLOY.resolve("systemd/teal.service"), units.resolve("teal.service"));
        executable(root.resolve("usr/bin/teal"));
        executable(root.resolve("bin/kill"));
        copyTree(Path.of("/lib/systemd/system"), Files.createDirectories(root.resolve("lib/systemd/system")));

        Result verify =
                run("systemd-analyze", "verify", "--man=no", "--root=" + root, "/etc/systemd/system/teal.service");

        assertThat(verify.output()).as("systemd-analyze verify says nothing").isEmpty();
        assertThat(verify.exitCode()).isZero();
    }

    @Test
    void systemdAnalyzeWouldCatchAMistakeInTheUnit() throws Exception {
        Path root = dir.resolve("root");
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.writeString(
                units.resolve("teal.service"),
                Files.readString(DEPLOY.resolve("systemd/teal.service"))
                        .replace("ProtectSystem=strict", "ProtectSystem=strikt"));
        executable(root.resolve("usr/bin/teal"));
        executable(root.resolve("bin/kill"));
        copyTree(Path.of("/lib/systemd/system"), Files.createDirectories(root.resolve("lib/systemd/system")));

        Result verify =
                run("systemd-analyze", "verify", "--man=no", "--root=" + root, "/etc/systemd/system/teal.service");

        assertThat(verify.output()).contains("strikt");
    }

    @Test
    void theUnitWaitsForTealsOwnReadinessAndIsHardened() throws IOException {
        String unit = Files.readString(DEPLOY.resolve("systemd/teal.service"));

        assertThat(unit)
                .contains("Type=notify")
                .contains("ExecStartPre=/usr/bin/teal check -c /etc/teal/teal.conf")
                .contains("ExecReload=/bin/kill -HUP $MAINPID")
                .contains("WatchdogSec=")
                .contains("StateDirectory=teal")
                .contains("LimitNOFILE=")
                .contains("ProtectSystem=strict")
                .contains("NoNewPrivileges=yes");
    }

    @Test
    void yamllintPassesTheKubernetesManifestsAndTheChartsValuesStrictly() throws Exception {
        // From deploy/: the configuration's ignore patterns (the chart's templates) are relative to it.
        Result lint = runIn(DEPLOY, "yamllint", "--strict", "-f", "parsable", "-c", ".yamllint", "kubernetes", "helm");

        assertThat(lint.output()).as("yamllint says nothing").isEmpty();
        assertThat(lint.exitCode()).isZero();
        assertThat(files(DEPLOY.resolve("kubernetes"), ".yaml"))
                .extracting(f -> f.getFileName().toString())
                .contains(
                        "deployment.yaml",
                        "service.yaml",
                        "configmap.yaml",
                        "poddisruptionbudget.yaml",
                        "servicemonitor.yaml");
        assertThat(DEPLOY.resolve("helm/teal/values-zookeeper.yaml")).isRegularFile();
    }

    @Test
    void yamllintWouldCatchAMistakeInAManifest() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: Service\nkind: Pod\n");

        Result lint =
                run("yamllint", "--strict", "-c", DEPLOY.resolve(".yamllint").toString(), bad.toString());

        assertThat(lint.output()).contains("duplication of key \"kind\"");
        assertThat(lint.exitCode()).isNotZero();
    }

    @Test
    void theDeploymentProbesTealAndOutwaitsItsDrain() throws IOException {
        String deployment = Files.readString(DEPLOY.resolve("kubernetes/deployment.yaml"));

        assertThat(deployment)
                .contains("path: /readyz")
                .contains("path: /healthz")
                .contains("preStop:")
                .contains("runAsNonRoot: true");
        // Longer than shutdown.drain-timeout (30s in the ConfigMap) plus the preStop pause.
        int grace = Integer.parseInt(deployment.replaceAll("(?s).*terminationGracePeriodSeconds: (\\d+).*", "$1"));
        assertThat(grace).isGreaterThan(30 + 5);
        assertThat(Files.readString(DEPLOY.resolve("kubernetes/configmap.yaml")))
                .contains("shutdown.drain-timeout = 30s");
    }

    static void executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(
                            file, target, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    record Result(int exitCode, String output) {}

    static Result run(String... command) throws IOException, InterruptedException {
        return runIn(Path.of("."), command);
    }

    static Result runIn(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("%s finished", List.of(command))
                .isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> f.toString().endsWith(suffix)).sorted().forEach(found::add);
        }
        return found;
    }
}
