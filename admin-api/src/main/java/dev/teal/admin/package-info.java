/**
 * The control plane and the launcher: the {@code teal} command line, process signals and meters.
 * Start at {@link dev.teal.admin.Teal}; each subcommand is one {@code *Command} class.
 */
package dev.teal.admin;
