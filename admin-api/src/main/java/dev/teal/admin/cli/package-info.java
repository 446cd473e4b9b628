/**
 * Command-line clients of the admin API ({@code teal ramp}, {@code teal status}, {@code teal drain-wait}).
 * Start at {@link dev.teal.admin.cli.RampCommand}; all of them talk HTTP through {@code AdminClient}.
 */
package dev.teal.admin.cli;
