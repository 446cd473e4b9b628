package dev.teal.admin.phase;

/** A phase cannot be run by hand now; nothing was started. The message says why and what to do. */
public final class PhaseRunRefusedException extends RuntimeException {
    PhaseRunRefusedException(String reason) {
        super(reason);
    }
}
