package dev.teal.admin.state;

/**
 * The stored state exists but cannot be read back. teal refuses to start rather than silently fall back
 * to the configured split, which could send users to the wrong color.
 */
public final class CorruptStateException extends RuntimeException {
    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
