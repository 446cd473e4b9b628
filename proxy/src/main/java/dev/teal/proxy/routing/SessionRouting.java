package dev.teal.proxy.routing;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Decides the color of a request and follows its session through the response. The pipeline calls {@link
 * #begin} once per request, on the client's event loop; implementations must not block.
 */
public interface SessionRouting {
    RequestRoute begin(HttpRequest request, Channel client);
}
