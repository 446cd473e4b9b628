/**
 * Durable control-plane state: the split and the rollout, kept in the state directory.
 * Start at {@link dev.teal.admin.state.LiveState}; {@link dev.teal.admin.state.FileStateStore} writes it.
 */
package dev.teal.admin.state;
