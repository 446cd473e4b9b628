/**
 * Sessions, pinning and draining: the signed pin cookie, session keys, the session table and the drain tracker.
 * Start at {@link dev.teal.proxy.session.SessionRouter}, which runs the per-request path over the other classes.
 */
package dev.teal.proxy.session;
