package dev.teal.proxy.session;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random 128-bit session ids. Each thread draws from its own DRBG: the platform default
 * ({@code NativePRNG}) serialises every caller on one lock, which event loops must not share.
 */
final class SessionIds {
    private final ThreadLocal<Source> sources = ThreadLocal.withInitial(Source::new);

    SessionKey next() {
        Source s = sources.get();
        s.random.nextBytes(s.bytes);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (s.bytes[i] & 0xffL);
            lo = (lo << 8) | (s.bytes[8 + i] & 0xffL);
        }
        return new SessionKey(hi, lo);
    }

    private static final class Source {
        final SecureRandom random = drbg();
        final byte[] bytes = new byte[16];

        private static SecureRandom drbg() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                return new SecureRandom();
            }
        }
    }
}
