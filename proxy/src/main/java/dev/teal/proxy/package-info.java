/**
 * The data plane: accepts clients, picks a color and an instance, relays HTTP/1.1 both ways.
 * Start at {@link dev.teal.proxy.TealProxy}; the control plane talks to it only through {@link dev.teal.proxy.TrafficControl}.
 */
package dev.teal.proxy;
