package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.config.SessionSettings.CookieSettings;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes and verifies the pin cookie. The value is 38 bytes in base64url without padding (51 characters,
 * none of which needs quoting in a cookie): a format version, the 16-byte session id, the color, the
 * issue time in epoch seconds (4 bytes), and the first 16 bytes of an HMAC-SHA-256 over those 22 bytes.
 * The first secret signs; every listed secret verifies, so a secret can be rotated without logging anyone
 * out.
 *
 * <p>Verification never throws: every input ends in a {@link CookieVerdict}. The length is checked before
 * any decoding or crypto, the encoding must be canonical (so a value has exactly one spelling), and the
 * tags are compared in constant time. Thread-safe: {@link Mac} is not, so each thread keeps its own
 * instances (one per secret) in this codec.
 */
public final class CookieCodec {
    static final int VERSION = 1;
    static final int PAYLOAD_LENGTH = 22;
    static final int TAG_LENGTH = 16;
    static final int RAW_LENGTH = PAYLOAD_LENGTH + TAG_LENGTH;
    /** Characters of an encoded value: 38 bytes in base64 without padding. */
    static final int ENCODED_LENGTH = 51;
    /** How stale a cookie's timestamp may get before it is re-issued. */
    static final long REISSUE_AFTER_SECONDS = 60;
    /**
     * How far ahead of this instance's clock a timestamp may be: instances behind one load balancer
     * disagree by a little; more than this is not clock skew.
     */
    static final long FUTURE_SKEW_SECONDS = 60;

    private static final byte BLUE = 1;
    private static final byte GREEN = 2;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DECODE = decodeTable();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String name;
    private final List<SecretKeySpec> keys;
    private final long idleMillis;
    private final CookieSettings.Secure secure;
    private final String attributes;
    private final String secureAttributes;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(this::newScratch);

    /**
     * @param settings cookie name, {@code Secure} policy and {@code Max-Age}
     * @param secrets the HMAC keys, the signing one first (see {@link CookieSecrets})
     * @param idleTimeout how old a cookie may be and still pin its session
     */
    public CookieCodec(CookieSettings settings, List<byte[]> secrets, Duration idleTimeout) {
        requireNonNull(settings, "settings");
        requireNonNull(secrets, "secrets");
        requireNonNull(idleTimeout, "idleTimeout");
        this.name = checkName(settings.name());
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("secrets: [] (expected: at least one)");
        }
        List<SecretKeySpec> specs = new ArrayList<>(secrets.size());
        for (byte[] secret : secrets) {
            if (secret.length == 0) {
                throw new IllegalArgumentException("secrets: an empty secret (expected: non-empty keys)");
            }
            specs.add(new SecretKeySpec(secret.clone(), ALGORITHM));
        }
        this.keys = List.copyOf(specs);
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        this.idleMillis = idleTimeout.toMillis();
        this.secure = settings.secure();
        Optional<Duration> maxAge = settings.maxAge();
        this.attributes = "; Path=/; HttpOnly; SameSite=Lax"
                + maxAge.map(d -> "; Max-Age=" + Math.max(0, d.toSeconds())).orElse("");
        this.secureAttributes = attributes + "; Secure";
        newScratch(); // fail at start, not on the first request, if the JDK lacks HmacSHA256
    }

    /** The cookie's name. */
    public String name() {
        return name;
    }

    /** The cookie value for {@code cookie}, signed with the first secret. */
    public String encode(PinCookie cookie) {
        requireNonNull(cookie, "cookie");
        byte[] raw = new byte[RAW_LENGTH];
        raw[0] = VERSION;
        putLong(raw, 1, cookie.id().hi());
        putLong(raw, 9, cookie.id().lo());
        raw[17] = cookie.color() == Color.BLUE ? BLUE : GREEN;
        putInt(raw, 18, (int) cookie.issuedAt());
        return sign(raw);
    }

    /** Verifies a cookie value; never throws, whatever the input. */
    public CookieVerdict verify(CharSequence value, Instant now) {
        return verify(value, now.getEpochSecond());
    }

    /** Verifies a cookie value against {@code now} in epoch seconds; never throws, whatever the input. */
    public CookieVerdict verify(CharSequence value, long now) {
        // Length first: an oversized or truncated value costs nothing more than this.
        if (value == null || value.length() != ENCODED_LENGTH) {
            return CookieVerdict.rejected(CookieRejection.MALFORMED);
        }
        Scratch s = scratch.get();
        byte[] raw = s.raw;
        if (!decode(value, raw) || raw[0] != VERSION) {
            return CookieVerdict.rejected(CookieRejection.MALFORMED);
        }
        if (!authentic(s)) {
            return CookieVerdict.rejected(CookieRejection.SIGNATURE);
        }
        Color color;
        if (raw[17] == BLUE) {
            color = Color.BLUE;
        } else if (raw[17] == GREEN) {
            color = Color.GREEN;
        } else {
            return CookieVerdict.rejected(CookieRejection.COLOR);
        }
        long issuedAt = getInt(raw, 18) & 0xffff_ffffL;
        return judge(new PinCookie(new SessionKey(getLong(raw, 1), getLong(raw, 9)), color, issuedAt), now);
    }

    /**
     * The time checks alone, for a cookie already found authentic (e.g. the same value verified for the
     * previous request on the same connection): valid, {@code expired} or {@code future} at {@code now}.
     */
    CookieVerdict judge(PinCookie authentic, long now) {
        long issuedAt = authentic.issuedAt();
        if (issuedAt - now > FUTURE_SKEW_SECONDS) {
            return CookieVerdict.rejected(CookieRejection.FUTURE);
        }
        if ((now - issuedAt) * 1000 > idleMillis) {
            return CookieVerdict.expired(authentic);
        }
        return CookieVerdict.valid(authentic);
    }

    /** Whether the cookie's timestamp is stale enough to re-issue it (at most once a minute per session). */
    public boolean needsReissue(PinCookie cookie, Instant now) {
        return now.getEpochSecond() - cookie.issuedAt() >= REISSUE_AFTER_SECONDS;
    }

    /** Whether {@code Secure} goes on the cookie for a client connection that is, or is not, TLS. */
    public boolean secure(boolean tls) {
        switch (secure) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            default:
                return tls;
        }
    }

    /**
     * The {@code Set-Cookie} value pinning {@code cookie}: {@code name=value; Path=/; HttpOnly;
     * SameSite=Lax}, plus {@code Max-Age} when configured and {@code Secure} when {@link #secure(boolean)}
     * says so. Contains only token and base64url characters: never CR, LF or an extra {@code ;}.
     */
    public String setCookie(PinCookie cookie, boolean tls) {
        return name + '=' + encode(cookie) + (secure(tls) ? secureAttributes : attributes);
    }

    /** The {@code Set-Cookie} value that removes the pin (when the application ended the session). */
    public String clearCookie(boolean tls) {
        return name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure(tls) ? "; Secure" : "");
    }

    /** Signs the first {@link #PAYLOAD_LENGTH} bytes of {@code raw} with the first secret and encodes it. */
    String sign(byte[] raw) {
        Scratch s = scratch.get();
        try {
            Mac mac = s.macs[0];
            mac.update(raw, 0, PAYLOAD_LENGTH);
            mac.doFinal(s.tag, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 with a 32-byte output buffer", e);
        }
        System.arraycopy(s.tag, 0, raw, PAYLOAD_LENGTH, TAG_LENGTH);
        return ENCODER.encodeToString(raw);
    }

    private boolean authentic(Scratch s) {
        byte[] raw = s.raw;
        for (Mac mac : s.macs) {
            try {
                mac.update(raw, 0, PAYLOAD_LENGTH);
                mac.doFinal(s.tag, 0);
            } catch (GeneralSecurityException e) {
                return false;
            }
            // Constant time: the loop never exits early on a mismatching byte.
            int diff = 0;
            for (int i = 0; i < TAG_LENGTH; i++) {
                diff |= s.tag[i] ^ raw[PAYLOAD_LENGTH + i];
            }
            if (diff == 0) {
                return true;
            }
        }
        return false;
    }

    /** Base64url without padding into {@code out}; false on a character outside the alphabet or a non-canonical tail. */
    private static boolean decode(CharSequence in, byte[] out) {
        int o = 0;
        int i = 0;
        int full = ENCODED_LENGTH - ENCODED_LENGTH % 4;
        while (i < full) {
            int a = sextet(in.charAt(i++));
            int b = sextet(in.charAt(i++));
            int c = sextet(in.charAt(i++));
            int d = sextet(in.charAt(i++));
            if ((a | b | c | d) < 0) {
                return false;
            }
            int bits = a << 18 | b << 12 | c << 6 | d;
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        // Three characters left for the last two bytes; the unused low 2 bits must be zero.
        int a = sextet(in.charAt(i++));
        int b = sextet(in.charAt(i++));
        int c = sextet(in.charAt(i));
        if ((a | b | c) < 0 || (c & 3) != 0) {
            return false;
        }
        int bits = a << 12 | b << 6 | c;
        out[o++] = (byte) (bits >> 10);
        out[o] = (byte) (bits >> 2);
        return true;
    }

    private static int sextet(char c) {
        return c < 128 ? DECODE[c] : -1;
    }

    private static byte[] decodeTable() {
        byte[] t = new byte[128];
        java.util.Arrays.fill(t, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            t[alphabet.charAt(i)] = (byte) i;
        }
        return t;
    }

    private Scratch newScratch() {
        Mac[] macs = new Mac[keys.size()];
        try {
            for (int i = 0; i < macs.length; i++) {
                macs[i] = Mac.getInstance(ALGORITHM);
                macs[i].init(keys.get(i));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " (expected: available in every JDK)", e);
        }
        return new Scratch(macs);
    }

    private static String checkName(String name) {
        requireNonNull(name, "name");
        boolean token = !name.isEmpty();
        for (int i = 0; i < name.length() && token; i++) {
            char c = name.charAt(i);
            token = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
        if (!token) {
            throw new IllegalArgumentException(
                    "sessions.cookie.name: '" + name + "' (expected: a token: letters, digits, !#$%&'*+-.^_`|~)");
        }
        return name;
    }

    private static void putLong(byte[] b, int offset, long v) {
        for (int i = 7; i >= 0; i--) {
            b[offset + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] b, int offset, int v) {
        for (int i = 3; i >= 0; i--) {
            b[offset + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xffL);
        }
        return v;
    }

    private static int getInt(byte[] b, int offset) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }

    /** Per-thread state: the MACs and buffers, so verification allocates nothing but its result. */
    private static final class Scratch {
        final Mac[] macs;
        final byte[] raw = new byte[RAW_LENGTH];
        final byte[] tag = new byte[32];

        Scratch(Mac[] macs) {
            this.macs = macs;
        }
    }
}
