/**
 * The release plan: walks a rollout step by step through the same ramps as an operator, judging each step
 * by the new color's own traffic, durable in the state directory. Start at {@link dev.teal.admin.plan.PlanRunner}.
 */
package dev.teal.admin.plan;
