package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import dev.teal.config.SessionSettings.KeyKind;
import dev.teal.proxy.Split;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;

/**
 * The per-request session path: verify the pin cookie, find the session key, look the session up (or
 * start one on the split's color), and say what the response must set. Plain and thread-safe; a pipeline
 * handler calls, per request:
 *
 * <pre>{@code
 * Routing r = router.route(request.headers(), ctx.channel().remoteAddress(), traffic.split());
 * // ... proxy to r.color(); on the response head:
 * router.onResponse(r, response.headers());
 * String setCookie = router.setCookie(r, tls);          // add as Set-Cookie when not null
 * // ... on 101: router.upgradeOpened(r), later router.upgradeClosed(r)
 * router.end(r);                                         // after the last response byte, or on any abort
 * }</pre>
 *
 * <p>A session's color never changes while it is known, whatever the split, except by a forced move. A
 * client cannot choose its color: only a cookie this instance (or one sharing its secret) signed can pin it.
 */
public final class SessionRouter {
    private final KeyKind kind;
    private final CookieCodec codec;
    private final SessionKeys keys;
    private final SessionTable table;
    private final Clock clock;
    private final SessionEvents events;

    public SessionRouter(CookieCodec codec, SessionKeys keys, SessionTable table, Clock clock, SessionEvents events) {
        this.codec = requireNonNull(codec, "codec");
        this.keys = requireNonNull(keys, "keys");
        this.table = requireNonNull(table, "table");
        this.clock = requireNonNull(clock, "clock");
        this.events = requireNonNull(events, "events");
        this.kind = keys.kind();
    }

    /** Decides where the request goes and starts its visit; never throws on client input. */
    public Routing route(HttpHeaders request, SocketAddress peer, Split split) {
        return route(request, peer, split, null);
    }

    /**
     * {@link #route(HttpHeaders, SocketAddress, Split)} for the next request on a connection: when it sends
     * the same pin cookie as {@code previous} (the last routing on the same client connection), the
     * signature is not checked again, only the timestamp. Saves the HMAC, a third of the path, on every
     * request of a keep-alive connection but the first. Never pass a routing of another connection.
     */
    public Routing route(HttpHeaders request, SocketAddress peer, Split split, Routing previous) {
        Instant now = clock.instant();
        PinCookie pin = null;
        PinCookie stale = null;
        PinCookie authentic = null;
        String raw = keys.pinCookieValue(request);
        if (raw != null) {
            CookieVerdict verdict =
                    previous != null && previous.authenticPin() != null && raw.equals(previous.pinValue())
                            ? codec.judge(previous.authenticPin(), now.getEpochSecond())
                            : codec.verify(raw, now.getEpochSecond());
            authentic = verdict.cookie();
            if (verdict.isValid()) {
                pin = verdict.cookie();
            } else if (verdict.cookie() != null) {
                // Expired but authentic: the table may still hold the session (its timestamp trails).
                stale = verdict.cookie();
            } else {
                events.cookieRejected(verdict.rejection());
            }
        }
        Visit visit = null;
        SessionKey key;
        SessionKey pinId;
        if (kind == KeyKind.COOKIE) {
            if (pin != null) {
                key = pin.id();
                visit = table.begin(key, Buckets.colorFor(key, split), pin);
            } else if (stale != null) {
                key = stale.id();
                visit = table.beginIfPresent(key);
            } else {
                key = null;
            }
            if (visit == null) {
                if (stale != null) {
                    events.cookieRejected(CookieRejection.EXPIRED);
                }
                key = keys.newSessionId();
                visit = table.begin(key, Buckets.colorFor(key, split), null);
            }
            pinId = key;
        } else {
            if (stale != null) {
                events.cookieRejected(CookieRejection.EXPIRED);
            }
            key = keys.requestKey(request, peer);
            // The pin's id is not the table key here: reuse the key (already an opaque keyed hash) rather
            // than draw a random id for every request of a client that drops cookies.
            pinId = pin != null ? pin.id() : key != null ? key : keys.newSessionId();
            visit = key != null
                    ? table.begin(key, Buckets.colorFor(key, split), pin)
                    : table.beginKeyless(Buckets.colorFor(pinId, split), pin);
        }
        boolean issue =
                pin == null || pin.color() != visit.color() || !pin.id().equals(pinId) || codec.needsReissue(pin, now);
        return new Routing(
                visit, key, issue ? new PinCookie(pinId, visit.color(), now.getEpochSecond()) : null, raw, authentic);
    }

    /**
     * Reads the response head: when the application expired its session cookie (a logout), ends the
     * session at once (reason {@code closed}) and removes the pin; for the {@code app-cookie} key, when it
     * set the cookie, learns the session under the new value on the request's color (a renamed session
     * ends the old one).
     */
    public void onResponse(Routing routing, HttpHeaders response) {
        AppCookieChange change = keys.appCookieChange(response, clock.instant());
        switch (change.kind()) {
            case EXPIRED:
                Session session = routing.visit().session();
                if (session != null) {
                    table.close(session.key());
                }
                routing.clearPin();
                break;
            case SET:
                if (kind == KeyKind.APP_COOKIE) {
                    SessionKey old = routing.key();
                    if (old != null && !old.equals(change.key())) {
                        table.close(old);
                    }
                    table.adopt(change.key(), routing.color());
                }
                break;
            default:
                break;
        }
    }

    /** The {@code Set-Cookie} value the response needs for the pin, or null when none. */
    public String setCookie(Routing routing, boolean tls) {
        if (routing.clearsPin()) {
            return codec.clearCookie(tls);
        }
        PinCookie issue = routing.issue();
        return issue == null ? null : codec.setCookie(issue, tls);
    }

    /** The request was upgraded (101): its session stays active until {@link #upgradeClosed}. */
    public void upgradeOpened(Routing routing) {
        table.upgradeOpened(routing.visit());
    }

    /** The upgraded connection closed. Idempotent. */
    public void upgradeClosed(Routing routing) {
        table.upgradeClosed(routing.visit());
    }

    /** The exchange is over (last response byte written, or aborted). Idempotent. */
    public void end(Routing routing) {
        table.end(routing.visit());
    }
}
