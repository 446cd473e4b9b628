package dev.teal.proxy;

import dev.teal.config.Color;

/**
 * The share of <em>new</em> sessions sent to green, in percent; blue gets the rest. Immutable: a ramp
 * swaps the whole value atomically, so a request sees one split or the other, never a mix.
 *
 * @param green percent of new sessions to green, 0-100
 */
public record Split(int green) {
    public Split {
        if (green < 0 || green > 100) {
            throw new IllegalArgumentException("green: " + green + " (expected: 0-100)");
        }
    }

    public static Split of(Color color, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException(color + ": " + percent + " (expected: 0-100)");
        }
        return new Split(color == Color.GREEN ? percent : 100 - percent);
    }

    public int blue() {
        return 100 - green;
    }

    public int percent(Color color) {
        return color == Color.GREEN ? green : blue();
    }

    /** The color that gets every new session, if one does. */
    public boolean allTo(Color color) {
        return percent(color) == 100;
    }
}
