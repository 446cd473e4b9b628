package dev.teal.admin.plan;

/** The plan cannot do what was asked now (nothing to resume, a plan already running); nothing changed. */
public final class PlanRefusedException extends RuntimeException {
    PlanRefusedException(String reason) {
        super(reason);
    }
}
