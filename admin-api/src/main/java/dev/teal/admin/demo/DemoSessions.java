package dev.teal.admin.demo;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The demo application's server-side sessions, the way a servlet container keeps them: a random id
 * handed out in a cookie, state on the server (here a visit count), forgotten after a while without a
 * visit.
 */
final class DemoSessions {
    private static final int ID_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final Cache<String, Integer> visitsById;
    private final SecureRandom random = new SecureRandom();

    DemoSessions(Duration idleTimeout, Ticker ticker) {
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(ticker, "ticker");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        visitsById = Caffeine.newBuilder()
                .expireAfterAccess(idleTimeout)
                .ticker(ticker)
                .build();
    }

    /**
     * Counts a visit of the session named by the request's cookie; an unknown, ended or idled-out id
     * starts a new session with a new id (never the one the client offered).
     */
    Visit visit(Optional<String> offeredId) {
        if (offeredId.isPresent()) {
            Integer visits = visitsById.asMap().computeIfPresent(offeredId.get(), (id, count) -> count + 1);
            if (visits != null) {
                return new Visit(offeredId.get(), visits, false);
            }
        }
        String id = newId();
        visitsById.put(id, 1);
        return new Visit(id, 1, true);
    }

    void end(String id) {
        visitsById.invalidate(id);
    }

    private String newId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /**
     * One counted visit.
     *
     * @param id the session id
     * @param visits visits of this session so far, this one included
     * @param started whether this visit started the session (its cookie must be set)
     */
    record Visit(String id, int visits, boolean started) {
        /** Enough of the id to tell sessions apart on screen without showing the whole secret. */
        String prefix() {
            return id.substring(0, 8);
        }
    }
}
