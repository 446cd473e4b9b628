package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The pin cookie's HMAC keys: the configured secrets (the first signs, all verify), or, when none is
 * configured, one generated on first start and kept in {@code <state-dir>/cookie-secret}, so that a
 * restart keeps verifying the cookies it issued. The file holds 32 random bytes as base64url text: it can
 * be copied into {@code teal.sessions.cookie.secrets} to share it with other instances.
 */
public final class CookieSecrets {
    /** The file under the state directory that keeps a generated secret. */
    public static final String FILE_NAME = "cookie-secret";
    /** Shortest configured secret accepted: short secrets can be guessed offline from one cookie. */
    public static final int MIN_LENGTH = 32;

    private final List<byte[]> keys;
    private final boolean generated;

    private CookieSecrets(List<byte[]> keys, boolean generated) {
        this.keys = keys;
        this.generated = generated;
    }

    /**
     * The configured secrets, or the state directory's generated one (created on first use).
     *
     * @throws IllegalArgumentException when a configured secret is shorter than {@link #MIN_LENGTH}
     * @throws UncheckedIOException when the generated secret cannot be read or written
     */
    public static CookieSecrets load(List<String> configured, Path stateDir) {
        requireNonNull(configured, "configured");
        requireNonNull(stateDir, "stateDir");
        if (!configured.isEmpty()) {
            List<byte[]> keys = new ArrayList<>(configured.size());
            for (int i = 0; i < configured.size(); i++) {
                String secret = configured.get(i);
                if (secret == null || secret.length() < MIN_LENGTH) {
                    throw new IllegalArgumentException("sessions.cookie.secrets[" + i + "]: "
                            + (secret == null ? "null" : secret.length() + " characters")
                            + " (expected: at least " + MIN_LENGTH + ", e.g. from `openssl rand -base64 32`)");
                }
                keys.add(secret.getBytes(StandardCharsets.UTF_8));
            }
            return new CookieSecrets(List.copyOf(keys), false);
        }
        return new CookieSecrets(List.of(generated(stateDir.resolve(FILE_NAME))), true);
    }

    /** The HMAC keys, the signing one first. */
    public List<byte[]> keys() {
        List<byte[]> copy = new ArrayList<>(keys.size());
        keys.forEach(k -> copy.add(k.clone()));
        return copy;
    }

    /** The signing key (also the root of the keyed hash of session keys). */
    public byte[] signingKey() {
        return keys.get(0).clone();
    }

    /** Whether the secret came from the state directory rather than configuration. */
    public boolean generated() {
        return generated;
    }

    private static byte[] generated(Path file) {
        try {
            if (!Files.exists(file)) {
                write(file);
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (text.length() < MIN_LENGTH) {
                throw new IllegalStateException(file + ": " + text.length()
                        + " characters (expected: a secret of at least " + MIN_LENGTH
                        + "; delete the file to generate a new one, which unpins every session)");
            }
            return text.getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cookie secret " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] text = (Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        StateFiles.writeAtomically(file, true, out -> out.write(text));
    }
}
