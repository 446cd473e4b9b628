package dev.teal.proxy.session;

import dev.teal.config.Color;
import dev.teal.proxy.Split;

/**
 * The split's assignment of new sessions: a uniform hash of the session key into 10,000 buckets, green
 * iff the bucket is below {@code green * 100}. A key that a client keeps (address, header) always lands in
 * the same bucket, so the ramp is monotonic: a client that went green at 10 % stays green at 25 %.
 */
public final class Buckets {
    /** Buckets per split: one per hundredth of a percent. */
    public static final int COUNT = 10_000;

    private Buckets() {}

    /** The key's bucket, 0 to 9,999. Keys are already uniform (random or a keyed hash), so no mixing is needed. */
    public static int bucket(SessionKey key) {
        return (int) Long.remainderUnsigned(key.lo(), COUNT);
    }

    /** The color a new session with this key gets under {@code split}. */
    public static Color colorFor(SessionKey key, Split split) {
        return bucket(key) < split.green() * (COUNT / 100) ? Color.GREEN : Color.BLUE;
    }
}
