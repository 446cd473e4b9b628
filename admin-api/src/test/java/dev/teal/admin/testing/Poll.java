package dev.teal.admin.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it until a deadline, never by sleeping a fixed time. */
public final class Poll {
    private Poll() {}

    /** @throws AssertionError naming {@code what} when the condition did not hold within {@code timeout} */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /**
     * Checks that a condition holds throughout {@code window}: for what must not happen while something
     * ticks in the background (a drain watcher that must leave a phase alone), checked on every poll.
     *
     * @throws AssertionError naming {@code what} as soon as the condition fails
     */
    public static void holds(Duration window, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("did not hold: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        } while (System.nanoTime() < end);
    }
}
