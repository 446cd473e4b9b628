package dev.teal.proxy.routing;

import dev.teal.config.Color;
import io.netty.handler.codec.http.HttpResponse;

/** One request's route and the session hooks around its response. */
public interface RequestRoute {
    Color color();

    /** The response head is about to go to the client: a chance to pin (Set-Cookie) or see a logout. */
    default void onResponseHead(HttpResponse response) {}

    /** The exchange became an upgraded connection (WebSocket); {@link #end} comes when it closes. */
    default void onUpgrade() {}

    /** The request (or the upgraded connection) is over, whatever the outcome. Called exactly once. */
    default void end() {}
}
