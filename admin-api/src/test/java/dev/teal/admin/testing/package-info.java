/**
 * Test support for the admin API: a recording TrafficControl double, a server harness, raw HTTP, parsers.
 * Start at {@link dev.teal.admin.testing.AdminHarness}.
 */
package dev.teal.admin.testing;
