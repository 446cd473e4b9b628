package dev.teal.proxy.upstream;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The instances of one color and the choice among them: least outstanding requests between two random
 * healthy candidates ("power of two choices"), which spreads load like a global least-connections without
 * a shared lock.
 */
public final class ColorBackends {
    private final Color color;
    /** Replaced whole on reload; readers take one array and use it. */
    private volatile BackendState[] backends;

    ColorBackends(Color color, List<Backend> initial) {
        this.color = color;
        this.backends = initial.stream().map(b -> new BackendState(color, b)).toArray(BackendState[]::new);
    }

    public Color color() {
        return color;
    }

    public List<BackendState> all() {
        return List.of(backends);
    }

    /**
     * A healthy instance that is not in {@code tried}, or null when there is none.
     *
     * @param tried instances already tried for this request (usually empty)
     */
    public BackendState pick(long nowNanos, List<BackendState> tried) {
        BackendState[] all = backends;
        int candidates = 0;
        for (BackendState b : all) {
            if (eligible(b, nowNanos, tried)) {
                candidates++;
            }
        }
        if (candidates == 0) {
            return null;
        }
        if (candidates == 1) {
            return nth(all, 0, nowNanos, tried);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(candidates);
        int j = random.nextInt(candidates - 1);
        if (j >= i) {
            j++;
        }
        BackendState a = nth(all, i, nowNanos, tried);
        BackendState b = nth(all, j, nowNanos, tried);
        return b.outstanding() < a.outstanding() ? b : a;
    }

    public boolean anyHealthy(long nowNanos) {
        for (BackendState b : backends) {
            if (b.healthy(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    private static boolean eligible(BackendState b, long nowNanos, List<BackendState> tried) {
        return b.healthy(nowNanos) && (tried.isEmpty() || !tried.contains(b));
    }

    private static BackendState nth(BackendState[] all, int n, long nowNanos, List<BackendState> tried) {
        int seen = 0;
        for (BackendState b : all) {
            if (eligible(b, nowNanos, tried) && seen++ == n) {
                return b;
            }
        }
        throw new IllegalStateException("candidate " + n + " vanished");
    }

    /** Applies a new backend list; instances that stay keep their health and counters. */
    void update(List<Backend> next) {
        Map<Backend, BackendState> current = new HashMap<>();
        for (BackendState b : backends) {
            current.put(b.backend(), b);
        }
        List<BackendState> updated = new ArrayList<>(next.size());
        for (Backend b : next) {
            updated.add(current.getOrDefault(b, new BackendState(color, b)));
        }
        backends = updated.toArray(BackendState[]::new);
    }
}
