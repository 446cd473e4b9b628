/**
 * HTTP/1.1 at the byte level: the strict head and chunked-body checks, head edits (hop-by-hop, forwarded
 * headers), limits and time-outs of a client connection, and teal's own error responses. Start at {@link
 * dev.teal.proxy.wire.StrictRequestDecoder}, then {@link dev.teal.proxy.wire.RequestGuard}.
 */
package dev.teal.proxy.wire;
