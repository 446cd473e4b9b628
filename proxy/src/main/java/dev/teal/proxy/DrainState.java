package dev.teal.proxy;

/** Where a color stands in a drain. */
public enum DrainState {
    /** The color has a share of the split: it gets new sessions. */
    SERVING,
    /** At 0 % of the split, still holding sessions, requests or upgraded connections. */
    DRAINING,
    /** At 0 %, and nothing left that could still come back. */
    DRAINED;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
