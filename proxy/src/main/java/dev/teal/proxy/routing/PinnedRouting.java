package dev.teal.proxy.routing;

import dev.teal.config.Color;
import dev.teal.proxy.Split;
import dev.teal.proxy.session.Routing;
import dev.teal.proxy.session.SessionRouter;
import dev.teal.proxy.tls.ClientTls;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.function.Supplier;

/**
 * Routes each request by its session: a known session goes to the color it is pinned to, a new one to
 * the color the split gives its key; the response carries the pin cookie when it must be set or renewed.
 */
public final class PinnedRouting implements SessionRouting {
    /** The connection's previous routing: a keep-alive request with the same pin skips the HMAC. */
    private static final AttributeKey<Routing> PREVIOUS = AttributeKey.valueOf("teal.previousRouting");

    private final SessionRouter router;
    private final Supplier<Split> split;

    public PinnedRouting(SessionRouter router, Supplier<Split> split) {
        this.router = router;
        this.split = split;
    }

    @Override
    public RequestRoute begin(HttpRequest request, Channel client) {
        Attribute<Routing> previous = client.attr(PREVIOUS);
        Routing routing = router.route(request.headers(), client.remoteAddress(), split.get(), previous.get());
        previous.set(routing);
        return new PinnedRoute(router, routing, ClientTls.isTls(client));
    }

    private static final class PinnedRoute implements RequestRoute {
        private final SessionRouter router;
        private final Routing routing;
        private final boolean tls;
        private boolean upgraded;

        PinnedRoute(SessionRouter router, Routing routing, boolean tls) {
            this.router = router;
            this.routing = routing;
            this.tls = tls;
        }

        @Override
        public Color color() {
            return routing.color();
        }

        @Override
        public void onResponseHead(HttpResponse response) {
            router.onResponse(routing, response.headers());
            // Secure on TLS connections (secure = auto), or as configured.
            String cookie = router.setCookie(routing, tls);
            if (cookie != null) {
                response.headers().add(HttpHeaderNames.SET_COOKIE, cookie);
            }
        }

        @Override
        public void onUpgrade() {
            // The upgraded connection keeps the session active until it closes.
            upgraded = true;
            router.upgradeOpened(routing);
            router.end(routing);
        }

        @Override
        public void end() {
            if (upgraded) {
                router.upgradeClosed(routing);
            } else {
                router.end(routing);
            }
        }
    }
}
