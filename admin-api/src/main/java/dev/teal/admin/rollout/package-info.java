/**
 * Rollouts as the operator drives them: a ramp step checked by guards, stored, then applied.
 * Start at {@link dev.teal.admin.rollout.Ramper}; {@link dev.teal.admin.rollout.RampGuard} is where phases hook in.
 */
package dev.teal.admin.rollout;
