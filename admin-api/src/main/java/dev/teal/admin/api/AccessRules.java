package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may call the admin API.
 *
 * <ul>
 *   <li><b>Token</b> (when configured): {@code Authorization: Bearer <token>}, compared in constant time.
 *   <li><b>Host</b> (when no token is configured, i.e. on loopback): the {@code Host} header must name
 *       this listener, so that a web page whose DNS name was rebound to 127.0.0.1 cannot talk to it. With
 *       a token the check is off: a rebinding page cannot send the token, and remote operators reach the
 *       listener by names teal cannot know.
 *   <li><b>Origin</b> (mutating calls): a browser request from another origin ({@code Origin} not this
 *       host, or {@code Sec-Fetch-Site} other than {@code same-origin}/{@code none}) is refused, so a
 *       page the operator visits cannot ramp; so is one whose {@code Referer} is another site's page (an
 *       {@code <img>} in a browser too old for {@code Sec-Fetch-Site}), and a browser navigation to a
 *       change ({@code Sec-Fetch-Mode: navigate}) unless the operator typed it ({@code Sec-Fetch-Site:
 *       none}). Clients that send none of these headers (curl, the CLI) are unaffected.
 * </ul>
 */
final class AccessRules {
    private static final Set<String> SAME_ORIGIN_FETCH = Set.of("same-origin", "none");

    private final Optional<byte[]> expectedDigest;
    private final Set<String> ownAuthorities;

    /**
     * @param token the bearer token, if any
     * @param listenHost the configured listen host
     * @param bound the bound address (real port)
     */
    AccessRules(Optional<String> token, String listenHost, InetAddress bound, int port) {
        requireNonNull(token, "token");
        token.ifPresent(AccessRules::validateToken);
        this.expectedDigest = token.map(t -> sha256("Bearer " + t));
        Set<String> hosts = new TreeSet<>();
        hosts.add(listenHost.toLowerCase(Locale.ROOT));
        hosts.add(literal(bound));
        hosts.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
        Set<String> authorities = new TreeSet<>();
        for (String host : hosts) {
            String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            authorities.add(bracketed + ":" + port);
        }
        this.ownAuthorities = Set.copyOf(authorities);
    }

    boolean tokenRequired() {
        return expectedDigest.isPresent();
    }

    Set<String> ownAuthorities() {
        return ownAuthorities;
    }

    /** 403 when no token is configured and {@code Host} names something other than this listener. */
    Optional<ApiError> checkHost(ApiRequest request) {
        if (tokenRequired()) {
            return Optional.empty();
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() != 1) {
            return Optional.of(ApiError.badRequest("Host: " + hosts.size() + " headers (expected: exactly one)"));
        }
        String host = hosts.get(0).trim().toLowerCase(Locale.ROOT);
        if (ownAuthorities.contains(host)) {
            return Optional.empty();
        }
        return Optional.of(ApiError.forbidden("Host: '" + ApiRequest.abbreviate(host)
                + "' is not this admin listener (expected one of: " + String.join(", ", ownAuthorities) + ")"));
    }

    /** 401 when a token is configured and the request does not carry it. */
    Optional<ApiError> checkToken(ApiRequest request) {
        if (expectedDigest.isEmpty()) {
            return Optional.empty();
        }
        List<String> values = request.headers().getAll(HttpHeaderNames.AUTHORIZATION);
        if (values.isEmpty()) {
            return Optional.of(ApiError.unauthorized("Authorization: (missing) (expected: Bearer <admin token>)"));
        }
        // Hash both sides so the comparison takes the same time whatever the length of the guess.
        if (values.size() != 1 || !MessageDigest.isEqual(expectedDigest.get(), sha256(normalize(values.get(0))))) {
            return Optional.of(ApiError.unauthorized("Authorization: wrong token (expected: Bearer <admin token>)"));
        }
        return Optional.empty();
    }

    /** 403 when a mutating call comes from a browser page of another origin. */
    Optional<ApiError> checkOrigin(ApiRequest request) {
        String fetchSite = request.headers().get("Sec-Fetch-Site");
        if (fetchSite != null && !SAME_ORIGIN_FETCH.contains(fetchSite.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of(ApiError.forbidden("Sec-Fetch-Site: '" + ApiRequest.abbreviate(fetchSite)
                    + "' (expected: same-origin; changes are not accepted from other sites' pages)"));
        }
        String fetchMode = request.headers().get("Sec-Fetch-Mode");
        if (fetchMode != null
                && fetchMode.trim().equalsIgnoreCase("navigate")
                && (fetchSite == null || !fetchSite.trim().equalsIgnoreCase("none"))) {
            // A link followed or a form submitted: another page chose this call. Only an address typed or
            // bookmarked by the operator (Sec-Fetch-Site: none) is the operator's own navigation.
            return Optional.of(ApiError.forbidden("Sec-Fetch-Mode: 'navigate' (expected: a change made with curl,"
                    + " the CLI or the dashboard's buttons; following a link or a form to it is not accepted)"));
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && (host == null || !sameAuthority(origin, host.trim(), false))) {
            return Optional.of(ApiError.forbidden("Origin: '" + ApiRequest.abbreviate(origin)
                    + "' (expected: this admin listener's own origin; changes are not accepted from other sites'"
                    + " pages)"));
        }
        // What an <img> or a link on another site sends from a browser too old for Sec-Fetch-Site.
        String referer = request.headers().get(HttpHeaderNames.REFERER);
        if (referer != null && (host == null || !sameAuthority(referer, host.trim(), true))) {
            return Optional.of(ApiError.forbidden("Referer: '" + ApiRequest.abbreviate(referer)
                    + "' (expected: a page of this admin listener, or none; changes are not accepted from other"
                    + " sites' pages)"));
        }
        return Optional.empty();
    }

    /** Whether {@code url} (an origin, or with {@code withPath} a whole URL) has {@code host}'s authority. */
    private static boolean sameAuthority(String url, String host, boolean withPath) {
        try {
            URI uri = new URI(url.trim());
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                return false;
            }
            String authority = uri.getRawAuthority();
            if (authority == null
                    || authority.indexOf('@') >= 0
                    || !withPath
                            && uri.getRawPath() != null
                            && !uri.getRawPath().isEmpty()) {
                return false;
            }
            return authority.equalsIgnoreCase(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The scheme is case-insensitive (RFC 9110 §11.1); the token is not. */
    private static String normalize(String authorization) {
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "Bearer " + value.substring(7).trim();
        }
        return value;
    }

    static void validateToken(String token) {
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // Never print the token.
            throw new IllegalArgumentException(
                    "admin.token: (hidden) (expected: non-empty, visible ASCII characters, no spaces)");
        }
    }

    private static String literal(InetAddress address) {
        String literal = address.getHostAddress();
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        return address instanceof Inet6Address ? "[" + literal + "]" : literal;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
