package dev.teal.proxy.upstream;

import dev.teal.config.Color;
import dev.teal.config.HealthCheckSettings;
import dev.teal.config.TealSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: a {@code GET <path>} to each instance of a color that has a path configured, every
 * interval, on one event loop. An instance is taken out after {@code unhealthy-threshold} failures in a
 * row and brought back after {@code healthy-threshold} passes (a 2xx or 3xx within the time-out).
 */
public final class HealthChecks {
    private final EventLoop loop;
    private final Upstreams upstreams;
    private final Class<? extends SocketChannel> channelType;
    /** Touched only on {@link #loop}. */
    private final Map<BackendState, Check> running = new HashMap<>();

    private boolean stopped;

    public HealthChecks(EventLoop loop, Upstreams upstreams, Class<? extends SocketChannel> channelType) {
        this.loop = loop;
        this.upstreams = upstreams;
        this.channelType = channelType;
    }

    /** Starts, restarts or stops checks to match the settings; safe from any thread. */
    public void apply(TealSettings settings) {
        loop.execute(() -> applyOnLoop(settings));
    }

    public void stop() {
        loop.execute(() -> {
            stopped = true;
            running.values().forEach(Check::cancel);
            running.clear();
        });
    }

    private void applyOnLoop(TealSettings settings) {
        if (stopped) {
            return;
        }
        List<BackendState> wanted = new ArrayList<>();
        for (Color color : Color.values()) {
            HealthCheckSettings hc = settings.color(color).healthCheck();
            for (BackendState b : upstreams.color(color).all()) {
                if (!hc.enabled()) {
                    b.activeCheck(true);
                    continue;
                }
                wanted.add(b);
                Check existing = running.get(b);
                if (existing == null || !existing.settings.equals(hc)) {
                    if (existing != null) {
                        existing.cancel();
                    }
                    Check check = new Check(b, hc);
                    running.put(b, check);
                    check.schedule(0);
                }
            }
        }
        running.entrySet().removeIf(e -> {
            if (!wanted.contains(e.getKey())) {
                e.getValue().cancel();
                return true;
            }
            return false;
        });
    }

    private final class Check {
        private final BackendState backend;
        private final HealthCheckSettings settings;
        private int passes;
        private int failures;
        private ScheduledFuture<?> next;
        private boolean cancelled;

        Check(BackendState backend, HealthCheckSettings settings) {
            this.backend = backend;
            this.settings = settings;
        }

        void schedule(long delayMillis) {
            if (!cancelled) {
                next = loop.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
            }
        }

        void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel(false);
            }
        }

        void run() {
            probe().addListener((Future<Boolean> f) -> {
                boolean ok = f.isSuccess() && f.getNow();
                record(ok);
                schedule(settings.interval().toMillis());
            });
        }

        private void record(boolean ok) {
            if (cancelled) {
                return;
            }
            if (ok) {
                failures = 0;
                if (++passes >= settings.healthyThreshold()) {
                    backend.activeCheck(true);
                }
            } else {
                passes = 0;
                if (++failures >= settings.unhealthyThreshold()) {
                    backend.activeCheck(false);
                }
            }
        }

        private Future<Boolean> probe() {
            Promise<Boolean> result = loop.newPromise();
            long timeoutMillis = settings.timeout().toMillis();
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline()
                                    .addLast(new HttpClientCodec())
                                    .addLast(new HttpObjectAggregator(64 * 1024))
                                    .addLast(new SimpleChannelInboundHandler<FullHttpResponse>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                            int code = r.status().code();
                                            result.trySuccess(code >= 200 && code < 400);
                                            ctx.close();
                                        }

                                        @Override
                                        public void channelInactive(ChannelHandlerContext ctx) {
                                            result.trySuccess(false);
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            result.trySuccess(false);
                                            ctx.close();
                                        }
                                    });
                        }
                    });
            b.connect(backend.resolvedAddress()).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    result.trySuccess(false);
                    return;
                }
                DefaultFullHttpRequest req = new DefaultFullHttpRequest(
                        HttpVersion.HTTP_1_1, HttpMethod.GET, settings.path().orElseThrow());
                req.headers()
                        .set(HttpHeaderNames.HOST, backend.backend().address().toString())
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                        .set(HttpHeaderNames.USER_AGENT, "teal-health-check");
                f.channel().writeAndFlush(req);
                ScheduledFuture<?> timer = loop.schedule(
                        () -> {
                            if (result.trySuccess(false)) {
                                f.channel().close();
                            }
                        },
                        timeoutMillis,
                        TimeUnit.MILLISECONDS);
                result.addListener(x -> timer.cancel(false));
            });
            return result;
        }
    }
}
