package dev.teal.admin.state;

/** The state could not be stored; the previously stored state and the state in force are unchanged. */
public final class StateWriteException extends RuntimeException {
    public StateWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
