package dev.teal.admin;

/** What the {@code teal} process tells its supervisor when it exits. */
public final class ExitCodes {
    /** Stopped as asked (SIGTERM, Ctrl-C), or the check passed. */
    public static final int OK = 0;

    /** Could not start or keep running: a listener could not be bound, an unexpected error. */
    public static final int FAILURE = 1;

    /** Invalid settings or command line: nothing was started; stderr says what to fix. */
    public static final int INVALID = 2;

    private ExitCodes() {}
}
