package dev.teal.bench.load;

/** Which clients a load run plays. */
enum LoadMode {
    /** Closed loop: each connection is one client with its own cookie jar, sending back what it was set. */
    RETURNING,
    /**
     * Closed loop: a pool of sessions whose cookies are obtained once at the start (one cookie-less request
     * each); every request is sent as one session drawn at random, with that session's cookies.
     */
    POOL,
    /**
     * Open loop at a fixed rate, each connection a returning client with its own jar; latency is measured
     * from each request's intended send time ({@link OpenLoopSchedule}).
     */
    OPEN
}
