package dev.teal.admin.state;

/**
 * Another instance changed the stored state since this one read it: nothing was written. The change
 * must be computed again from the current state (an operator's ramp answers 409 with it).
 */
public final class StateConflictException extends RuntimeException {
    public StateConflictException(String message) {
        super(message);
    }
}
