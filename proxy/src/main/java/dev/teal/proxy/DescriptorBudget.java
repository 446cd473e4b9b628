package dev.teal.proxy;

import dev.teal.config.Color;
import dev.teal.config.LimitSettings;
import dev.teal.config.TealSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Whether the configured connections fit the process's descriptor limit (RLIMIT_NOFILE), checked once at
 * start (catalogue row L11). A client connection may hold one backend connection, the pools keep idle ones
 * per event loop, and the process needs a reserve for its listeners, event loops, the admin API and files:
 *
 * <pre>{@code 2 x max-connections + max-idle-per-backend x event loops x backends + RESERVE <= limit}</pre>
 *
 * <p>With {@code max-connections = auto} the connection limit is lowered to what fits, and the start says
 * so; a configured number that does not fit refuses the start with the numbers. HotSpot already raises the
 * soft limit to the hard one at start ({@code -XX:+MaxFDLimit}, on by default), and Netty has no call to
 * raise it further; what is read here is the limit after that.
 *
 * @param limit the soft descriptor limit of this process
 * @param fixedCost descriptors the pools and the reserve take, whatever the clients do
 * @param connections the client connections that fit
 */
public record DescriptorBudget(long limit, long fixedCost, int connections) {
    /** Listeners, event loops (an epoll and an event descriptor each), admin API, logs, jars, state files. */
    static final int RESERVE = 256;

    /** Raised when a configured {@code max-connections} cannot fit the descriptor limit. */
    public static final class TooFewDescriptorsException extends IllegalStateException {
        TooFewDescriptorsException(String message) {
            super(message);
        }
    }

    /**
     * Plans the budget for {@code settings} with {@code eventLoops} event loops under {@code limit}.
     *
     * @throws TooFewDescriptorsException when a configured connection limit, or auto's smallest useful one
     *     (1), does not fit
     */
    public static DescriptorBudget plan(TealSettings settings, int eventLoops, long limit) {
        int backends = settings.color(Color.BLUE).backends().size()
                + settings.color(Color.GREEN).backends().size();
        long pools = (long) settings.upstream().maxIdlePerBackend() * eventLoops * backends;
        // One more per backend for its active health check.
        long fixed = pools + backends + RESERVE;
        long fits = Math.max(0, (limit - fixed) / 2);
        LimitSettings limits = settings.limits();
        String sum = "2 x max-connections + " + pools + " pooled backend connections ("
                + settings.upstream().maxIdlePerBackend() + " per backend x " + eventLoops + " event loops x "
                + backends + " backends) + " + (backends + RESERVE) + " reserved";
        if (!limits.maxConnectionsAuto() && limits.maxConnections() > fits) {
            throw new TooFewDescriptorsException("teal.limits.max-connections = " + limits.maxConnections()
                    + " needs " + (2L * limits.maxConnections() + fixed) + " file descriptors (" + sum
                    + ") but this process may open " + limit + " (RLIMIT_NOFILE); at most " + fits
                    + " connections fit. Raise the limit (ulimit -n, systemd LimitNOFILE=) or lower"
                    + " max-connections (auto fits it to the limit)");
        }
        if (fits < 1) {
            throw new TooFewDescriptorsException("no client connection fits: this process may open " + limit
                    + " file descriptors (RLIMIT_NOFILE) and needs " + (fixed + 2) + " for one (" + sum
                    + "). Raise the limit (ulimit -n, systemd LimitNOFILE=)");
        }
        int connections = (int) Math.min(limits.maxConnections(), fits);
        return new DescriptorBudget(limit, fixed, connections);
    }

    /** Whether auto had to lower the connection limit to fit. */
    public boolean lowered(LimitSettings limits) {
        return limits.maxConnectionsAuto() && connections < limits.maxConnections();
    }

    /**
     * The connection limit in force for {@code limits} (which a reload may change): the configured one,
     * never more than what fits.
     */
    int connectionLimit(LimitSettings limits) {
        return (int) Math.min(limits.maxConnections(), Math.max(1, (limit - fixedCost) / 2));
    }

    /**
     * This process's soft descriptor limit: from {@code /proc/self/limits} on Linux, else from the JDK's
     * {@code UnixOperatingSystemMXBean}; empty where neither tells (then nothing is checked).
     */
    public static OptionalLong processLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited")
                            ? OptionalLong.of(Long.MAX_VALUE)
                            : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is not mounted: ask the JDK.
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return OptionalLong.of(os.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }
}
