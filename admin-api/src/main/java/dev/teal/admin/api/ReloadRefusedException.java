package dev.teal.admin.api;

import java.util.List;

/** The configuration could not be reloaded; the running configuration stays. */
public final class ReloadRefusedException extends RuntimeException {
    private final List<String> problems;

    /** @param problems one message per problem: the path, the value, what is expected */
    public ReloadRefusedException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
