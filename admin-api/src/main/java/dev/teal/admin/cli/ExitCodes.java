package dev.teal.admin.cli;

/** Exit codes of the client commands, as scripts see them. */
final class ExitCodes {
    static final int OK = 0;
    /** The admin API refused the call or could not be reached. */
    static final int FAILED = 1;
    /** Bad command-line usage (picocli's own code). */
    static final int USAGE = 2;
    /** {@code drain-wait} gave up at {@code --timeout}. */
    static final int TIMED_OUT = 3;

    private ExitCodes() {}
}
