/**
 * The admin HTTP API and the dashboard: one listener, one route per resource, one error shape.
 * Start at {@link dev.teal.admin.api.AdminServer}; requests flow through {@code ApiDispatcher} to an {@code Endpoint}.
 */
package dev.teal.admin.api;
