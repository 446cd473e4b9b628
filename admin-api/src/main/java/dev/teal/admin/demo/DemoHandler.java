package dev.teal.admin.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.teal.config.Color;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the demo application's requests, after {@code HttpServerCodec}, {@code
 * HttpServerKeepAliveHandler} and {@code HttpObjectAggregator}: {@code GET /}, {@code /api/whoami},
 * {@code /health} and {@code /logout}. Runs on the application's single event-loop thread.
 */
@Sharable
final class DemoHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** The application's session cookie, named like a servlet container's. */
    static final String SESSION_COOKIE = "JSESSIONID";

    private static final Logger log = LoggerFactory.getLogger(DemoHandler.class);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final Color color;
    private final String instance;
    private final DemoSessions sessions;

    DemoHandler(Color color, String instance, DemoSessions sessions) {
        this.color = requireNonNull(color, "color");
        this.instance = requireNonNull(instance, "instance");
        this.sessions = requireNonNull(sessions, "sessions");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response = respond(request);
        // Every answer depends on the session: a reload must reach the server to count.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (!request.decoderResult().isSuccess()) {
            // HttpServerKeepAliveHandler closes the connection after a response that is not keep-alive.
            HttpUtil.setKeepAlive(response, false);
        }
        ctx.writeAndFlush(response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that resets its connection is no news for a demo application.
        log.debug("{} closed after {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    private FullHttpResponse respond(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return text(HttpResponseStatus.BAD_REQUEST, "bad request");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean known =
                switch (path) {
                    case "/", "/api/whoami", "/health", "/logout" -> true;
                    default -> false;
                };
        if (!known) {
            return text(HttpResponseStatus.NOT_FOUND, "not found");
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            return response;
        }
        return switch (path) {
            case "/" -> page(request);
            case "/api/whoami" -> whoami(request);
            case "/logout" -> logout(request);
            default -> text(HttpResponseStatus.OK, "ok");
        };
    }

    private FullHttpResponse page(HttpRequest request) {
        DemoSessions.Visit visit = sessions.visit(sessionId(request));
        FullHttpResponse response =
                response(HttpResponseStatus.OK, "text/html; charset=utf-8", DemoPage.render(color, instance, visit));
        return withSessionCookie(response, visit);
    }

    private FullHttpResponse whoami(HttpRequest request) {
        DemoSessions.Visit visit = sessions.visit(sessionId(request));
        String body = JSON.writeValueAsString(new Whoami(color.id(), instance, visit.prefix(), visit.visits()));
        return withSessionCookie(response(HttpResponseStatus.OK, "application/json", body), visit);
    }

    private FullHttpResponse logout(HttpRequest request) {
        sessionId(request).ifPresent(sessions::end);
        FullHttpResponse response = text(HttpResponseStatus.SEE_OTHER, "logged out");
        response.headers().set(HttpHeaderNames.LOCATION, "/");
        // Max-Age=0 is how the application tells the browser, and teal, that the session is over.
        Cookie expired = sessionCookie("");
        expired.setMaxAge(0);
        response.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(expired));
        return response;
    }

    private static FullHttpResponse withSessionCookie(FullHttpResponse response, DemoSessions.Visit visit) {
        if (visit.started()) {
            response.headers()
                    .add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(sessionCookie(visit.id())));
        }
        return response;
    }

    private static Cookie sessionCookie(String value) {
        DefaultCookie cookie = new DefaultCookie(SESSION_COOKIE, value);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.Lax);
        return cookie;
    }

    private static Optional<String> sessionId(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return Optional.empty();
        }
        return ServerCookieDecoder.LAX.decodeAll(header).stream()
                .filter(cookie -> SESSION_COOKIE.equals(cookie.name()))
                .map(Cookie::value)
                .findFirst();
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, "text/plain; charset=utf-8", body + "\n");
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response;
    }

    /** The body of {@code GET /api/whoami}. */
    @JsonPropertyOrder({"color", "instance", "session", "visits"})
    record Whoami(String color, String instance, String session, int visits) {}
}
