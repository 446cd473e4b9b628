package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The point of a rollout a phase is attached to, written in terms of {@code old} and {@code new} so that
 * one plan serves both directions.
 *
 * @param type the kind of point
 * @param percent for {@code before N} and {@code after N}: N, the percent of new sessions sent to {@code
 *     new} (1-100); 0 for the others
 */
public record PhaseTrigger(Type type, int percent) {
    /** The kinds of point, in the order a rollout reaches them. */
    public enum Type {
        /** Before the first session goes to {@code new} (expand); gates the step. */
        BEFORE_NEW,
        /** Before the split passes N % to {@code new}; gates the step. */
        BEFORE,
        /** Once the split has reached N % (a backfill); runs in the background. */
        AFTER,
        /** Once {@code old} has drained with {@code new} at 100 % (contract). */
        OLD_DRAINED,
        /** Once {@code new} has drained after a ramp back to 0 % (undo an expand). */
        ROLLED_BACK;

        /** Whether a phase of this type runs before traffic moves, and a failure refuses the step. */
        public boolean gates() {
            return this == BEFORE_NEW || this == BEFORE;
        }

        boolean hasPercent() {
            return this == BEFORE || this == AFTER;
        }
    }

    static final String EXPECTED = "one of before-new, \"before N\", \"after N\" (N an integer percentage 1-100),"
            + " old-drained, rolled-back";

    public PhaseTrigger {
        requireNonNull(type, "type");
        if (type.hasPercent() ? percent < 1 || percent > 100 : percent != 0) {
            throw new IllegalArgumentException("trigger " + type.name().toLowerCase(Locale.ROOT) + ": percent "
                    + percent + (type.hasPercent() ? " (expected: 1-100)" : " (expected: 0, it takes none)"));
        }
    }

    public static PhaseTrigger of(Type type) {
        return new PhaseTrigger(type, 0);
    }

    /**
     * Reads a trigger as the settings write it: {@code before-new}, {@code before 50}, {@code after 100},
     * {@code old-drained}, {@code rolled-back}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static PhaseTrigger parse(String text) {
        requireNonNull(text, "text");
        String trimmed = text.trim();
        switch (trimmed) {
            case "before-new":
                return of(Type.BEFORE_NEW);
            case "old-drained":
                return of(Type.OLD_DRAINED);
            case "rolled-back":
                return of(Type.ROLLED_BACK);
            default:
                break;
        }
        String[] words = trimmed.split("\\s+");
        if (words.length == 2 && (words[0].equals("before") || words[0].equals("after"))) {
            Type type = words[0].equals("before") ? Type.BEFORE : Type.AFTER;
            if (words[1].matches("[0-9]{1,3}")) {
                int percent = Integer.parseInt(words[1]);
                if (percent >= 1 && percent <= 100) {
                    return new PhaseTrigger(type, percent);
                }
            }
            throw new UnexpectedValueException(
                    text, "\"" + words[0] + " N\" with N an integer percentage 1-100, such as \"" + words[0] + " 50\"");
        }
        throw new UnexpectedValueException(text, EXPECTED);
    }

    /** As the settings write it: {@code before 50}. */
    @Override
    public String toString() {
        String name = type.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return type.hasPercent() ? name + " " + percent : name;
    }
}
