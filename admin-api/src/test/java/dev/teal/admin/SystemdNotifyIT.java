package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teal run} under a supervisor speaking the sd_notify protocol: a real Unix datagram socket in
 * {@code NOTIFY_SOCKET}, a real teal process, the messages systemd would read, in order.
 */
class SystemdNotifyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private EventLoopGroup group;
    private Channel socket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private HttpServer backend;

    @BeforeEach
    void listen() throws IOException {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        socket = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        messages.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress(dir.resolve("notify").toString()))
                .syncUninterruptibly()
                .channel();
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        backend.start();
    }

    @AfterEach
    void close() {
        socket.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        backend.stop(0);
    }

    @Test
    void tellsTheSupervisorReadyReloadingWatchdogAndStopping() throws Exception {
        Path conf = Files.writeString(dir.resolve("teal.conf"), """
                teal {
                  listen = "127.0.0.1:0"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  colors {
                    blue  { backends = ["127.0.0.1:%d"] }
                    green { backends = ["127.0.0.2:%d"] }
                  }
                }
                """.formatted(
                        dir.resolve("state"),
                        backend.getAddress().getPort(),
                        backend.getAddress().getPort()));
        Map<String, String> env = Map.of(
                "NOTIFY_SOCKET",
                dir.resolve("notify").toString(),
                // 400 ms: a ping every 200 ms.
                "WATCHDOG_USEC",
                "400000");

        try (TealProcess teal = TealProcess.start(dir, List.of(), env, "run", "-c", conf.toString())) {
            String ready = next(m -> m.startsWith("READY=1"), teal);
            Matcher adminAt = teal.awaitStderr(Pattern.compile("admin API and dashboard on (http://\\S+/)"));
            assertThat(teal.stderr()).contains("teal listening on");
            assertThat(ready)
                    .contains("STATUS=split green 0 %; blue serving, 0 sessions; green drained, 0 sessions")
                    .contains("MAINPID=" + teal.pid());

            next(m -> m.equals("WATCHDOG=1"), teal);
            next(m -> m.equals("WATCHDOG=1"), teal);

            teal.signal("HUP");
            assertThat(next(m -> m.startsWith("RELOADING=1"), teal)).containsPattern("MONOTONIC_USEC=\\d+");
            assertThat(next(m -> m.startsWith("READY=1"), teal)).contains("STATUS=split green 0 %");

            HttpResponse<String> reload = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(adminAt.group(1) + "reload"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            next(m -> m.startsWith("RELOADING=1"), teal);
            next(m -> m.startsWith("READY=1"), teal);

            teal.signal("TERM");
            assertThat(next(m -> m.startsWith("STOPPING=1"), teal)).contains("STATUS=stopping");
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void saysNothingAndRunsAsEverWithoutNotifySocket() throws Exception {
        Path conf = Files.writeString(dir.resolve("teal.conf"), """
                teal {
                  listen = "127.0.0.1:0"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  colors {
                    blue  { backends = ["127.0.0.1:%d"] }
                    green { backends = ["127.0.0.2:%d"] }
                  }
                }
                """.formatted(
                        dir.resolve("state"),
                        backend.getAddress().getPort(),
                        backend.getAddress().getPort()));

        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            teal.awaitStderr(Pattern.compile("teal running on"));
            teal.signal("TERM");
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.OK);
        }
        assertThat(messages).isEmpty();
    }

    /** The next message that matches, skipping the others (watchdog pings between, status updates). */
    private String next(java.util.function.Predicate<String> wanted, TealProcess teal) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String message = messages.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no matching sd_notify message within " + WAIT + "; stderr:\n" + teal.stderr());
    }
}
