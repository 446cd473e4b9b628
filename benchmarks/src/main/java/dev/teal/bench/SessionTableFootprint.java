package dev.teal.bench;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.teal.config.Color;
import dev.teal.proxy.session.SessionEvents;
import dev.teal.proxy.session.SessionKey;
import dev.teal.proxy.session.SessionTable;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Heap bytes per session-table entry: fills a table with N idle sessions (default 1,000,000) and compares
 * the used heap after full collections before and after. Everything an entry holds is counted: the key,
 * the session, Caffeine's node and the hash table's share.
 *
 * <pre>{@code
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.teal.bench.SessionTableFootprint 1000000
 * }</pre>
 */
public final class SessionTableFootprint {
    private SessionTableFootprint() {}

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        SessionTable table = new SessionTable(
                Duration.ofMinutes(30),
                Ticker.systemTicker(),
                Clock.systemUTC(),
                Scheduler.disabledScheduler(),
                Runnable::run,
                SessionEvents.NONE);
        long before = usedAfterGc();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            SessionKey key = new SessionKey(random.nextLong(), random.nextLong());
            table.end(table.begin(key, (i & 1) == 0 ? Color.BLUE : Color.GREEN, null));
        }
        table.cleanUp();
        long after = usedAfterGc();
        double perEntry = (after - before) / (double) n;
        System.out.printf(
                "%,d sessions (blue %,d, green %,d): %,d bytes of heap, %.1f bytes per entry; %,.1f MB per million%n",
                table.size(),
                table.activeSessions(Color.BLUE),
                table.activeSessions(Color.GREEN),
                after - before,
                perEntry,
                perEntry * 1_000_000 / (1024 * 1024));
        Reference.reachabilityFence(table);
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100); // let the collector finish concurrent work between rounds
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
