/**
 * The data plane: listeners, event loops and the client pipeline ({@link dev.teal.proxy.ClientChannelInitializer}),
 * started and stopped by {@link dev.teal.proxy.TealProxy}; the control plane talks to it only through
 * {@link dev.teal.proxy.TrafficControl}. Sub-packages by concern: {@code wire} (HTTP/1.1 bytes), {@code
 * exchange} (one request), {@code routing} (color choice), {@code session}, {@code upstream}, {@code metrics}.
 */
package dev.teal.proxy;
