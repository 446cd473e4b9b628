/**
 * The bridge between a request and the session layer: which color a request goes to (its pin, or the
 * split for a new session) and the session hooks around its response. Start at {@link
 * dev.teal.proxy.routing.PinnedRouting}; {@link dev.teal.proxy.routing.Sessions} wires the session layer.
 */
package dev.teal.proxy.routing;
