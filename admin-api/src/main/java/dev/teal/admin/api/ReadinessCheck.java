package dev.teal.admin.api;

import java.util.List;

/**
 * One condition for {@code /readyz}, given to the admin server by the launcher (for example "the proxy's
 * listener is bound"). Must be cheap and must not block.
 */
@FunctionalInterface
public interface ReadinessCheck {
    /** Why teal is not ready, one sentence each; empty when this condition holds. */
    List<String> problems();
}
