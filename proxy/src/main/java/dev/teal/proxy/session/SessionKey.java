package dev.teal.proxy.session;

/**
 * What the session table is keyed by: 128 bits, either a random session id (the pin cookie's) or a keyed
 * hash of the application cookie, header or client address, so that no client value is ever stored in
 * clear. Two longs keep an entry small (32 bytes with its header).
 */
public final class SessionKey {
    private final long hi;
    private final long lo;

    public SessionKey(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    /** The first 8 hex digits: enough to tell sessions apart on {@code /sessions}, too few to replay one. */
    public String idPrefix() {
        String hex = Long.toHexString(hi >>> 32);
        return "00000000".substring(hex.length()) + hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey && ((SessionKey) o).hi == hi && ((SessionKey) o).lo == lo;
    }

    @Override
    public int hashCode() {
        // Both halves are uniform (random or a keyed hash), so folding them is enough.
        long h = hi ^ lo;
        return (int) (h ^ (h >>> 32));
    }

    /** Only the prefix: keys are opaque and must not end up whole in logs. */
    @Override
    public String toString() {
        return "SessionKey[" + idPrefix() + "…]";
    }
}
