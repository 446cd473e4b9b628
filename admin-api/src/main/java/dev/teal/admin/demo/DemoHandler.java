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
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the demo application's requests, after {@code HttpServerCodec}, {@code
 * HttpServerKeepAliveHandler} and {@code HttpObjectAggregator}: {@code GET /}, {@code /api/whoami},
 * {@code /api/customers}, {@code /health}, {@code /logout} and the favicon, and {@code POST /api/backfill} (what the
 * release's backfill phase calls on the new version). Runs on the application's single event-loop
 * thread; the database calls block it for a few milliseconds, which a demo can afford.
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
    private final Optional<Customers> customers;
    private final DemoChaos chaos = new DemoChaos();

    DemoHandler(Color color, String instance, DemoSessions sessions, Optional<Customers> customers) {
        this.color = requireNonNull(color, "color");
        this.instance = requireNonNull(instance, "instance");
        this.sessions = requireNonNull(sessions, "sessions");
        this.customers = requireNonNull(customers, "customers");
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
        HttpMethod allowed =
                switch (path) {
                    case "/", "/api/whoami", "/api/customers", "/health", "/logout", "/favicon.ico", "/favicon.svg" ->
                        HttpMethod.GET;
                    case "/api/backfill" -> HttpMethod.POST;
                    case DemoChaos.PATH -> request.method().equals(HttpMethod.POST) ? HttpMethod.POST : HttpMethod.GET;
                    default -> null;
                };
        if (allowed == null) {
            return text(HttpResponseStatus.NOT_FOUND, "not found");
        }
        if (!allowed.equals(request.method())) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
            response.headers().set(HttpHeaderNames.ALLOW, allowed.name());
            return response;
        }
        if (path.equals(DemoChaos.PATH)) {
            return chaos(request);
        }
        if (!path.equals("/health") && !path.equals("/api/backfill") && chaos.strikes()) {
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, color + " chaos: error-rate " + chaos.errorRate());
        }
        return switch (path) {
            case "/" -> page(request);
            case "/api/whoami" -> whoami(request);
            case "/api/customers" -> customers();
            case "/api/backfill" -> backfill();
            case "/logout" -> logout(request);
            case "/favicon.ico", "/favicon.svg" -> favicon();
            default -> text(HttpResponseStatus.OK, "ok");
        };
    }

    /** A square in the application's color: a browser asks for it with every first page load. */
    private FullHttpResponse favicon() {
        return response(HttpResponseStatus.OK, "image/svg+xml", DemoPage.favicon(color));
    }

    private FullHttpResponse page(HttpRequest request) {
        DemoSessions.Visit visit = sessions.visit(sessionId(request));
        FullHttpResponse response = response(
                HttpResponseStatus.OK,
                "text/html; charset=utf-8",
                DemoPage.render(color, instance, visit, customers.map(DemoHandler::read)));
        return withSessionCookie(response, visit);
    }

    /** The customers as this version reads them, or why it cannot. */
    static CustomerList read(Customers customers) {
        try {
            return new CustomerList(customers.version().id(), customers.list(), null);
        } catch (SQLException e) {
            return new CustomerList(customers.version().id(), List.of(), e.getMessage());
        }
    }

    private FullHttpResponse customers() {
        if (customers.isEmpty()) {
            return text(HttpResponseStatus.NOT_FOUND, "this application has no database");
        }
        CustomerList list = read(customers.get());
        return response(
                list.error() == null ? HttpResponseStatus.OK : HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "application/json",
                JSON.writeValueAsString(list));
    }

    private FullHttpResponse backfill() {
        if (customers.isEmpty()) {
            return text(HttpResponseStatus.NOT_FOUND, "this application has no database");
        }
        try {
            int filled = customers.get().backfill();
            log.info("{}: backfill filled full_name in {} rows", instance, filled);
            return response(HttpResponseStatus.OK, "application/json", "{\"filled\":" + filled + "}");
        } catch (SQLException e) {
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "backfill failed: " + e.getMessage());
        }
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

    /** {@code /api/chaos?error-rate=0.2}: a share of this application's answers become 500s (0 heals it). */
    private FullHttpResponse chaos(FullHttpRequest request) {
        Optional<String> refused = chaos.apply(new QueryStringDecoder(request.uri()).parameters());
        if (refused.isPresent()) {
            return text(HttpResponseStatus.BAD_REQUEST, refused.get());
        }
        log.info("{} chaos: error-rate {}", instance, chaos.errorRate());
        return response(
                HttpResponseStatus.OK,
                "application/json",
                "{\"color\": \"" + color.id() + "\", \"errorRate\": " + chaos.errorRate() + "}\n");
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

    /**
     * The body of {@code GET /api/customers}.
     *
     * @param version the application version that read them (v1 or v2)
     * @param customers what it read
     * @param error the database's error when this version's query does not fit the schema
     */
    @JsonPropertyOrder({"version", "customers", "error"})
    record CustomerList(String version, List<Customers.Customer> customers, String error) {}

    /** The body of {@code GET /api/whoami}. */
    @JsonPropertyOrder({"color", "instance", "session", "visits"})
    record Whoami(String color, String instance, String session, int visits) {}
}
