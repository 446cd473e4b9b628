package dev.teal.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One load run: its connections, its phases and its figures, all on one event loop (so nothing here is
 * shared between threads). Phases: connect every connection; in {@link LoadMode#POOL} obtain each pooled
 * session's cookies with one cookie-less request; warm up; wait for the go file ({@code ready} is printed);
 * measure; drain what the measurement sent (bounded); print the {@code result} line. Only requests sent
 * during the measurement are recorded. A connection the target closes is opened again with the same client
 * state (its jar and schedule); a request lost that way counts as an error.
 */
final class LoadRun {
    private enum Phase {
        CONNECTING,
        OBTAIN,
        WARMUP,
        GATE,
        MEASURE,
        FINISHED
    }

    /** The longest a phase waits for the responses to what it sent before moving on anyway. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final byte[] COOKIE = "Cookie: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private final LoadSettings settings;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final PrintStream out;
    private final Promise<LoadResult> done;
    private final byte[] requestPrefix;
    private final List<Client> clients = new ArrayList<>();
    private final CookieJar[] pool;
    private final SplittableRandom random = new SplittableRandom(20261204L);
    private final Histogram total = new Histogram(3);
    private final Histogram interval = new Histogram(3);

    private Phase phase = Phase.CONNECTING;
    private long phaseEnd;
    private long gateDeadline;
    private int connected;
    private int nextToObtain;
    private int obtained;
    private long measureStart;
    private long lastCompletion;
    private long nextIntervalAt;
    private long intervalStart;
    private long requests;
    private long errors;
    private long intervalRequests;
    private long intervalErrors;
    private ScheduledFuture<?> ticker;

    LoadRun(LoadSettings settings, Bootstrap bootstrap, EventLoop loop, PrintStream out) {
        this.settings = settings;
        this.loop = loop;
        this.out = out;
        this.done = loop.newPromise();
        this.requestPrefix = ("GET " + settings.path() + " HTTP/1.1\r\nHost: " + settings.host()
                        + "\r\nUser-Agent: teal-loadgen\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.pool = new CookieJar[settings.mode() == LoadMode.POOL ? settings.sessions() : 0];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new CookieJar();
        }
        this.bootstrap = bootstrap.clone(loop).option(ChannelOption.TCP_NODELAY, true);
    }

    /** Starts the run; the promise completes with the result once the measurement has drained. */
    Promise<LoadResult> start() {
        loop.execute(() -> {
            for (int i = 0; i < settings.connections(); i++) {
                Client client = new Client(i);
                clients.add(client);
                connect(client);
            }
            ticker = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.MILLISECONDS);
        });
        return done;
    }

    private void connect(Client client) {
        ChannelFuture future = bootstrap
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpResponseDecoder(), new Handler(client));
                    }
                })
                .connect(settings.target());
        future.addListener(f -> {
            if (f.isSuccess()) {
                return;
            }
            if (phase == Phase.CONNECTING) {
                fail(new IllegalStateException("cannot connect to " + settings.target(), f.cause()));
            } else if (phase != Phase.FINISHED) {
                errors++;
                loop.schedule(() -> connect(client), 100, TimeUnit.MILLISECONDS);
            }
        });
    }

    private void active(Client client, Channel channel) {
        client.channel = channel;
        if (phase == Phase.CONNECTING) {
            if (++connected == settings.connections()) {
                begin(settings.mode() == LoadMode.POOL ? Phase.OBTAIN : Phase.WARMUP, System.nanoTime());
            }
        } else {
            kick(client, System.nanoTime());
        }
    }

    private void begin(Phase next, long now) {
        phase = next;
        switch (next) {
            case WARMUP -> phaseEnd = now + settings.warmupNanos();
            case MEASURE -> {
                phaseEnd = now + settings.durationNanos();
                measureStart = now;
                lastCompletion = now;
                intervalStart = now;
                nextIntervalAt = settings.intervalNanos() > 0 ? now + settings.intervalNanos() : Long.MAX_VALUE;
            }
            case GATE -> {
                out.println("ready");
                out.flush();
                gateDeadline = now + settings.gateTimeoutNanos();
                if (settings.goFile() == null) {
                    begin(Phase.MEASURE, now);
                }
                return;
            }
            default -> {}
        }
        for (Client client : clients) {
            if (settings.mode() == LoadMode.OPEN) {
                client.schedule = new OpenLoopSchedule(now, settings.rate(), settings.connections(), client.index);
            }
            kick(client, now);
        }
    }

    /** Sends the client's next request if its phase has one for it now (or arms a timer for when it is due). */
    private void kick(Client client, long now) {
        if (client.inFlight || client.channel == null || !client.channel.isActive()) {
            return;
        }
        switch (phase) {
            case OBTAIN -> {
                if (nextToObtain < pool.length) {
                    send(client, pool[nextToObtain++], now);
                }
            }
            case WARMUP, MEASURE -> {
                if (settings.mode() == LoadMode.OPEN) {
                    long due = client.schedule.next();
                    if (due >= phaseEnd) {
                        return;
                    }
                    if (due <= now) {
                        send(client, client.jar, client.schedule.take());
                    } else if (!client.timerArmed) {
                        client.timerArmed = true;
                        loop.schedule(
                                () -> {
                                    client.timerArmed = false;
                                    kick(client, System.nanoTime());
                                },
                                due - now,
                                TimeUnit.NANOSECONDS);
                    }
                } else if (now < phaseEnd) {
                    CookieJar jar = settings.mode() == LoadMode.POOL ? pool[random.nextInt(pool.length)] : client.jar;
                    send(client, jar, now);
                }
            }
            default -> {}
        }
    }

    private void send(Client client, CookieJar jar, long start) {
        ByteBuf request = client.channel.alloc().buffer(requestPrefix.length + 128);
        request.writeBytes(requestPrefix);
        String cookie = jar.header();
        if (cookie != null) {
            request.writeBytes(COOKIE).writeCharSequence(cookie, StandardCharsets.US_ASCII);
            request.writeBytes(CRLF);
        }
        request.writeBytes(CRLF);
        client.inFlight = true;
        client.current = jar;
        client.start = start;
        client.measured = phase == Phase.MEASURE;
        client.obtaining = phase == Phase.OBTAIN;
        client.status = 0;
        client.channel.writeAndFlush(request, client.channel.voidPromise());
    }

    private void responseHead(Client client, HttpResponse response) {
        client.status = response.decoderResult().isSuccess() ? response.status().code() : -1;
        if (response.headers().contains(HttpHeaderNames.SET_COOKIE)) {
            client.current.store(response.headers().getAll(HttpHeaderNames.SET_COOKIE));
        }
    }

    private void responseEnd(Client client) {
        long now = System.nanoTime();
        client.inFlight = false;
        if (client.measured) {
            total.recordValue(Math.max(0, OpenLoopSchedule.latency(client.start, now)));
            interval.recordValue(Math.max(0, OpenLoopSchedule.latency(client.start, now)));
            requests++;
            intervalRequests++;
            if (client.status < 200 || client.status >= 400) {
                errors++;
                intervalErrors++;
            }
            lastCompletion = now;
        }
        if (client.obtaining && ++obtained == pool.length) {
            begin(Phase.WARMUP, now);
            return;
        }
        kick(client, now);
    }

    private void inactive(Client client) {
        client.channel = null;
        if (client.inFlight) {
            client.inFlight = false;
            if (client.measured) {
                errors++;
                intervalErrors++;
            }
            if (client.obtaining && ++obtained == pool.length) {
                begin(Phase.WARMUP, System.nanoTime());
            }
        }
        if (phase != Phase.FINISHED) {
            loop.schedule(() -> connect(client), 10, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        switch (phase) {
            case WARMUP -> {
                if (now >= phaseEnd && (inFlight(false) == 0 || now >= phaseEnd + DRAIN_NANOS)) {
                    begin(Phase.GATE, now);
                }
            }
            case GATE -> {
                if (Files.exists(settings.goFile())) {
                    begin(Phase.MEASURE, now);
                } else if (now >= gateDeadline) {
                    fail(new IllegalStateException("no " + settings.goFile() + " after "
                            + TimeUnit.NANOSECONDS.toSeconds(settings.gateTimeoutNanos()) + " s"));
                }
            }
            case MEASURE -> {
                if (now >= nextIntervalAt) {
                    out.println(LoadResult.line(
                            "interval",
                            intervalRequests,
                            intervalErrors,
                            0,
                            (now - intervalStart) / 1e9,
                            interval,
                            (now - measureStart) / 1e9));
                    out.flush();
                    interval.reset();
                    intervalRequests = 0;
                    intervalErrors = 0;
                    intervalStart = now;
                    nextIntervalAt += settings.intervalNanos();
                }
                if (now >= phaseEnd) {
                    long unfinished = inFlight(true) + dueNotSent();
                    if (unfinished == 0 || now >= phaseEnd + DRAIN_NANOS) {
                        finish(unfinished);
                    }
                }
            }
            default -> {}
        }
    }

    private int inFlight(boolean measured) {
        int n = 0;
        for (Client client : clients) {
            if (client.inFlight && (!measured || client.measured)) {
                n++;
            }
        }
        return n;
    }

    /** Open loop: requests of the measurement that were due but not sent yet (their connection is behind). */
    private long dueNotSent() {
        if (settings.mode() != LoadMode.OPEN) {
            return 0;
        }
        long n = 0;
        for (Client client : clients) {
            n += Math.max(0, client.schedule.dueBefore(phaseEnd) - client.schedule.taken());
        }
        return n;
    }

    private void finish(long unfinished) {
        phase = Phase.FINISHED;
        ticker.cancel(false);
        double seconds = Math.max(lastCompletion - measureStart, 1) / 1e9;
        LoadResult result = new LoadResult(requests, errors, unfinished, seconds, total.copy());
        closeAll();
        done.trySuccess(result);
    }

    private void fail(Throwable cause) {
        phase = Phase.FINISHED;
        if (ticker != null) {
            ticker.cancel(false);
        }
        closeAll();
        done.tryFailure(cause);
    }

    private void closeAll() {
        for (Client client : clients) {
            if (client.channel != null) {
                client.channel.close();
            }
        }
    }

    /** One simulated client: survives its connection being closed and opened again. */
    private static final class Client {
        final int index;
        final CookieJar jar = new CookieJar();
        Channel channel;
        OpenLoopSchedule schedule;
        boolean timerArmed;
        boolean inFlight;
        boolean measured;
        boolean obtaining;
        CookieJar current;
        long start;
        int status;

        Client(int index) {
            this.index = index;
        }
    }

    /** The pipeline's end for one connection of a client. */
    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private final Client client;

        Handler(Client client) {
            this.client = client;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active(client, ctx.channel());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse response) {
                responseHead(client, response);
                if (!response.decoderResult().isSuccess()) {
                    ctx.close();
                    return;
                }
            }
            if (msg instanceof LastHttpContent && client.inFlight) {
                responseEnd(client);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive(client);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
