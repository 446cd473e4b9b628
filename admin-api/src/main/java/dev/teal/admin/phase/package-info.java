/**
 * Migration phases: the plan, the three kinds of phase (SQL via Flyway, command, HTTP), their journal,
 * and the runner that attaches them to ramp steps and drains. Start at {@link dev.teal.admin.phase.PhaseRunner}.
 */
package dev.teal.admin.phase;
