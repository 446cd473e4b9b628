/**
 * Backends found in DNS: {@code dns://name:port} and {@code dns+srv://_service._tcp.name} entries of a
 * color, resolved with Netty's DNS resolver on a dedicated event loop and re-resolved as their TTLs say.
 * What they find reaches the data plane through the same entry point as a configuration reload.
 */
package dev.teal.proxy.discovery;
