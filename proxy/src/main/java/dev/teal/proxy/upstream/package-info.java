/**
 * Backend instances, their health (passive ejection, active checks) and the per-event-loop connection pools.
 * Start at {@link dev.teal.proxy.upstream.Upstreams}.
 */
package dev.teal.proxy.upstream;
