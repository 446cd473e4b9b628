package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import dev.teal.config.SessionSettings;
import dev.teal.config.SessionSettings.KeyKind;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads session keys off requests and responses: the pin cookie's value, the application cookie, a named
 * header or the client address, each turned into a {@link SessionKey} by a keyed hash (SipHash under a key
 * derived from the signing secret), so that no client value is stored in clear and no client can aim at a
 * bucket. Also reads, from a response's {@code Set-Cookie} headers, whether the application set or expired
 * its session cookie. Thread-safe and allocation-light; nothing here blocks.
 */
public final class SessionKeys {
    private static final byte APP_COOKIE = 1;
    private static final byte HEADER = 2;
    private static final byte ADDRESS = 3;
    private static final byte[] HASH_KEY_LABEL = "teal session key hash v1".getBytes(StandardCharsets.US_ASCII);

    private final KeyKind kind;
    private final String pinCookie;
    private final String appCookie;
    private final String header;
    private final ClientAddresses addresses;
    private final SipHash hash;
    private final SessionIds ids = new SessionIds();

    /**
     * @param settings which key, the cookie and header names, the trusted proxies
     * @param signingKey the pin cookie's signing secret; the hash key is derived from it (HMAC-SHA-256 over a
     *     fixed label), so rotating that secret also re-buckets stable keys that the table no longer holds
     */
    public SessionKeys(SessionSettings settings, byte[] signingKey) {
        requireNonNull(settings, "settings");
        requireNonNull(signingKey, "signingKey");
        this.kind = settings.key();
        this.pinCookie = settings.cookie().name();
        this.appCookie = requireNonBlank(settings.appCookie(), "sessions.app-cookie");
        this.header = requireNonBlank(settings.header(), "sessions.header");
        this.addresses = new ClientAddresses(settings.trustedProxies());
        this.hash = new SipHash(deriveHashKey(signingKey));
    }

    /** The configured key kind. */
    public KeyKind kind() {
        return kind;
    }

    /** A fresh random session id (the pin cookie's, and the table key for the {@code cookie} kind). */
    public SessionKey newSessionId() {
        return ids.next();
    }

    /**
     * The pin cookie's raw value from the request's {@code Cookie} headers: null when absent. When it is
     * sent more than once, a value that never verifies (so the request starts a new session).
     */
    public String pinCookieValue(HttpHeaders request) {
        String value = CookieHeaders.value(request.getAll(HttpHeaderNames.COOKIE), pinCookie);
        return value == CookieHeaders.DUPLICATE ? "" : value;
    }

    /**
     * The request's key for the configured kind other than {@code cookie} (whose key is the pin cookie's
     * id): the hashed application cookie, header or client address. Null when the request carries none
     * (no application session yet, no header), or for the {@code cookie} kind.
     */
    public SessionKey requestKey(HttpHeaders request, SocketAddress peer) {
        switch (kind) {
            case APP_COOKIE:
                return appCookieKey(request);
            case HEADER:
                return headerKey(request);
            case SOURCE_ADDRESS:
                return addressKey(request, peer);
            default:
                return null;
        }
    }

    /**
     * The hashed application cookie of the request; null if absent or empty. When several are sent (one per
     * path), the first: RFC 6265 sends the most specific path first.
     */
    public SessionKey appCookieKey(HttpHeaders request) {
        String value = firstAppCookie(request.getAll(HttpHeaderNames.COOKIE));
        return value == null || value.isEmpty() ? null : hashText(APP_COOKIE, value);
    }

    /** The hashed value of the configured header; null if absent or empty. */
    public SessionKey headerKey(HttpHeaders request) {
        String value = request.get(header);
        return value == null || value.isEmpty() ? null : hashText(HEADER, value);
    }

    /** The hashed client address (see {@link ClientAddresses}); null when the peer is not an IP socket. */
    public SessionKey addressKey(HttpHeaders request, SocketAddress peer) {
        byte[] address = addresses.resolve(request, peer);
        if (address == null) {
            return null;
        }
        byte[] data = new byte[address.length + 1];
        data[0] = ADDRESS;
        System.arraycopy(address, 0, data, 1, address.length);
        return hash.hash(data, data.length);
    }

    /**
     * What the response's {@code Set-Cookie} headers did to the application cookie: set it (its hashed
     * new value, to learn the key), expired it (a logout), or nothing. When several headers name it, the
     * last wins, as in a browser.
     */
    public AppCookieChange appCookieChange(HttpHeaders response, Instant now) {
        AppCookieChange change = AppCookieChange.NONE;
        for (String setCookie : response.getAll(HttpHeaderNames.SET_COOKIE)) {
            switch (SetCookies.effect(setCookie, appCookie, now)) {
                case SET:
                    int end = setCookie.indexOf(';');
                    String value =
                            CookieHeaders.valueIfNamed(setCookie, 0, end < 0 ? setCookie.length() : end, appCookie);
                    change = AppCookieChange.set(hashText(APP_COOKIE, value));
                    break;
                case EXPIRED:
                    change = AppCookieChange.EXPIRED;
                    break;
                default:
                    break;
            }
        }
        return change;
    }

    private String firstAppCookie(List<String> cookies) {
        for (String cookieHeader : cookies) {
            int start = 0;
            while (start < cookieHeader.length()) {
                int end = cookieHeader.indexOf(';', start);
                if (end < 0) {
                    end = cookieHeader.length();
                }
                String value = CookieHeaders.valueIfNamed(cookieHeader, start, end, appCookie);
                if (value != null) {
                    return value;
                }
                start = end + 1;
            }
        }
        return null;
    }

    private SessionKey hashText(byte domain, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(new byte[] {domain}, text.length + 1);
        System.arraycopy(text, 0, data, 1, text.length);
        return hash.hash(data, data.length);
    }

    private static byte[] deriveHashKey(byte[] signingKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(HASH_KEY_LABEL), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 (expected: available in every JDK)", e);
        }
    }

    private static String requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: a name)");
        }
        return value;
    }
}
