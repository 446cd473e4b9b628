/**
 * The TLS listener: certificates read from PEM files (Bouncy Castle), one Netty {@code SslContext} per
 * certificate chosen by SNI, the handshake's own time-out and failure counts, and plain HTTP sent to the
 * TLS port answered with a clear 400.
 */
package dev.teal.proxy.tls;
