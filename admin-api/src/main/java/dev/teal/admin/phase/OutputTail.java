package dev.teal.admin.phase;

/**
 * The last characters of a phase's output: enough to see why it failed, never enough to fill the state
 * directory. Thread-safe (a command's output is read on its own thread).
 */
final class OutputTail {
    /** Characters kept; the journal holds one tail per run. */
    static final int LIMIT = 4000;

    private final StringBuilder text = new StringBuilder();
    private boolean truncated;

    synchronized void append(CharSequence chars) {
        text.append(chars);
        if (text.length() > 2 * LIMIT) {
            text.delete(0, text.length() - LIMIT);
            truncated = true;
        }
    }

    synchronized void append(char[] chars, int length) {
        append(java.nio.CharBuffer.wrap(chars, 0, length));
    }

    @Override
    public synchronized String toString() {
        if (text.length() <= LIMIT) {
            return truncated ? "…" + text : text.toString();
        }
        return "…" + text.substring(text.length() - LIMIT);
    }

    /** The tail of {@code text}, as this class would keep it. */
    static String of(String text) {
        OutputTail tail = new OutputTail();
        tail.append(text);
        return tail.toString();
    }
}
