package dev.teal.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CookieSecretsTest {
    private static final String FIRST = "first-secret-that-is-long-enough-for-teal";
    private static final String SECOND = "second-secret-that-is-long-enough-for-teal";

    @TempDir
    Path stateDir;

    @Test
    void usesTheConfiguredSecretsInOrderAndWritesNothing() {
        CookieSecrets secrets = CookieSecrets.load(List.of(FIRST, SECOND), stateDir);

        assertThat(secrets.generated()).isFalse();
        assertThat(secrets.keys())
                .containsExactly(FIRST.getBytes(StandardCharsets.UTF_8), SECOND.getBytes(StandardCharsets.UTF_8));
        assertThat(secrets.signingKey()).isEqualTo(FIRST.getBytes(StandardCharsets.UTF_8));
        assertThat(stateDir.resolve(CookieSecrets.FILE_NAME)).doesNotExist();
    }

    @Test
    void refusesAShortConfiguredSecretNamingIt() {
        assertThatThrownBy(() -> CookieSecrets.load(List.of(FIRST, "s3cret"), stateDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sessions.cookie.secrets[1]: 6 characters (expected: at least 32");
    }

    @Test
    void generatesASecretOnFirstStartAndReadsItBackLater() throws Exception {
        CookieSecrets first = CookieSecrets.load(List.of(), stateDir);
        CookieSecrets second = CookieSecrets.load(List.of(), stateDir);

        Path file = stateDir.resolve(CookieSecrets.FILE_NAME);
        assertThat(first.generated()).isTrue();
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file).trim()).matches("[A-Za-z0-9_-]{43}");
        assertThat(second.signingKey()).isEqualTo(first.signingKey());
        assertThat(stateDir.resolve(CookieSecrets.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void generatesADifferentSecretInEachStateDirectory(@TempDir Path other) {
        assertThat(CookieSecrets.load(List.of(), stateDir).signingKey())
                .isNotEqualTo(CookieSecrets.load(List.of(), other).signingKey());
    }

    @Test
    void createsTheStateDirectoryWhenMissing() {
        Path nested = stateDir.resolve("a/b");

        CookieSecrets.load(List.of(), nested);

        assertThat(nested.resolve(CookieSecrets.FILE_NAME)).exists();
    }

    @Test
    void refusesADamagedSecretFileInsteadOfReplacingIt() throws Exception {
        Path file = stateDir.resolve(CookieSecrets.FILE_NAME);
        Files.writeString(file, "short\n");

        assertThatThrownBy(() -> CookieSecrets.load(List.of(), stateDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + ": 5 characters (expected: a secret of at least 32");
        assertThat(Files.readString(file)).isEqualTo("short\n");
    }
}
