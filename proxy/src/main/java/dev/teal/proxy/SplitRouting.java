package dev.teal.proxy;

import dev.teal.config.Color;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Routes each request by the split alone: a uniform draw into 10,000 buckets, green below {@code green *
 * 100}. This is the data plane without sessions; session pinning replaces it.
 */
final class SplitRouting implements SessionRouting {
    static final int BUCKETS = 10_000;

    private final Supplier<Split> split;
    private final Map<Color, ColorTraffic> traffic;

    SplitRouting(Supplier<Split> split, Map<Color, ColorTraffic> traffic) {
        this.split = split;
        this.traffic = traffic;
    }

    @Override
    public RequestRoute begin(HttpRequest request, Channel client) {
        int bucket = ThreadLocalRandom.current().nextInt(BUCKETS);
        Color color = bucket < split.get().green() * (BUCKETS / 100) ? Color.GREEN : Color.BLUE;
        return new CountedRoute(color, traffic.get(color));
    }

    /** Keeps the color's in-flight and upgraded counts. */
    static final class CountedRoute implements RequestRoute {
        private final Color color;
        private final ColorTraffic counts;
        private boolean upgraded;

        CountedRoute(Color color, ColorTraffic counts) {
            this.color = color;
            this.counts = counts;
            counts.inFlight.incrementAndGet();
        }

        @Override
        public Color color() {
            return color;
        }

        @Override
        public void onUpgrade() {
            upgraded = true;
            counts.inFlight.decrementAndGet();
            counts.upgraded.incrementAndGet();
        }

        @Override
        public void end() {
            if (upgraded) {
                counts.upgraded.decrementAndGet();
            } else {
                counts.inFlight.decrementAndGet();
            }
        }
    }
}
