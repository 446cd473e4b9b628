package dev.teal.proxy;

import dev.teal.config.Color;
import dev.teal.config.TealSettings;
import java.time.Duration;
import java.util.List;

/**
 * What the control plane may do to the data plane. The only door between them: the proxy never
 * imports control-plane types. Every method is safe to call from any thread and never blocks an event
 * loop.
 */
public interface TrafficControl {
    /** The split in force. */
    Split split();

    /** Swaps the split; existing sessions keep their color. */
    void setSplit(Split split);

    /**
     * Moves every session pinned to {@code from} to the other color on its next request (counted as
     * {@code forced}); the emergency rollback.
     */
    void forceMove(Color from);

    /** The split, both colors' backends, sessions and drain state, now. */
    TrafficSnapshot snapshot();

    /**
     * Applies new backend lists, health checks and limits without dropping a connection. Listener
     * address and transport changes need a restart and are ignored.
     */
    void reload(TealSettings settings);

    /**
     * Up to {@code limit} sessions pinned to {@code color}, most recently active first, for the admin
     * API's debugging page. The default knows none, for data planes without a session table.
     */
    default List<SessionView> sessions(Color color, int limit) {
        return List.of();
    }

    /**
     * {@code color}'s traffic over the last {@code window}: requests, 5xx, latency, and the sessions started
     * on it so far. What a release plan is judged by. The default saw nothing, for data planes without
     * counters.
     */
    default ColorTraffic traffic(Color color, Duration window) {
        return ColorTraffic.none(color, window);
    }
}
