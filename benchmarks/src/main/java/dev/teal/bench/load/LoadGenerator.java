package dev.teal.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator of {@code benchmarks/load/compare.sh} and {@code soak.sh} for the loads stock wrk
 * cannot make: clients that keep their cookies ({@link LoadMode}). One event-loop thread (epoll where
 * available) drives every connection, as {@code wrk -t1} does; latencies go into an HdrHistogram.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.teal.bench.load.LoadGenerator \
 *     --target 127.0.0.1:25092 --mode returning --connections 64 --warmup 5 --duration 10
 * }</pre>
 *
 * <p>Prints {@code ready} when warmed up, {@code interval …} lines when asked, and one {@code result …} line
 * ({@link LoadResult#line()}); exits 0, or 1 with a message when the target cannot be reached.
 */
@Command(
        name = "loadgen",
        mixinStandardHelpOptions = true,
        description = "HTTP/1.1 keep-alive load with per-client cookie jars, closed or open loop (loopback only).")
final class LoadGenerator implements Callable<Integer> {
    @Option(names = "--target", required = true, description = "host:port (a loopback address)")
    private String target;

    @Option(names = "--path", defaultValue = "/", description = "request target (default: ${DEFAULT-VALUE})")
    private String path;

    @Option(
            names = "--mode",
            defaultValue = "returning",
            description = "returning, pool or open (default: ${DEFAULT-VALUE})")
    private String mode;

    @Option(names = "--connections", defaultValue = "64", description = "connections (default: ${DEFAULT-VALUE})")
    private int connections;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds of unrecorded load first")
    private double warmup;

    @Option(names = "--duration", defaultValue = "10", description = "seconds measured")
    private double duration;

    @Option(names = "--rate", defaultValue = "0", description = "open loop: requests/s over all connections")
    private double rate;

    @Option(names = "--sessions", defaultValue = "10000", description = "pool: sessions (default: ${DEFAULT-VALUE})")
    private int sessions;

    @Option(names = "--go-file", description = "after the warm-up, print 'ready' and wait until this file exists")
    private Path goFile;

    @Option(names = "--interval", defaultValue = "0", description = "seconds between 'interval' lines (0: none)")
    private double interval;

    @Option(names = "--gate-timeout", defaultValue = "300", description = "seconds to wait for the go file")
    private double gateTimeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--target: '" + target + "' (expected: host:port)");
        }
        LoadSettings settings = new LoadSettings(
                LoadMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)),
                new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
                path,
                connections,
                nanos(warmup),
                nanos(duration),
                rate,
                sessions,
                goFile,
                nanos(interval),
                nanos(gateTimeout));
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group =
                new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            Bootstrap bootstrap = new Bootstrap().channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
            LoadRun run = new LoadRun(settings, bootstrap.group(group), group.next(), System.out);
            LoadResult result = run.start().get();
            System.out.println(result.line());
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("loadgen: " + e.getCause().getMessage());
            return 1;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
