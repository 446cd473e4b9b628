package dev.teal.proxy.session;

import dev.teal.config.Color;
import dev.teal.proxy.SessionView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The {@code /sessions} page: the most recently active sessions of a color, out of a full scan. */
final class SessionPages {
    private SessionPages() {}

    /**
     * Up to {@code limit} of {@code sessions} pinned to {@code color} (null: both), most recently active
     * first (busy ones count as active now); {@code now} in ticker time.
     */
    static List<SessionView> mostRecent(Collection<Session> sessions, Color color, int limit, long now) {
        // Least recent at the head, so that the heap keeps the most recent ones.
        Comparator<Session> byRecency = Comparator.comparingLong(s -> s.busy() ? now : s.lastSeen());
        PriorityQueue<Session> recent = new PriorityQueue<>(Math.max(1, Math.min(limit, 1024) + 1), byRecency);
        for (Session s : sessions) {
            if (color == null || s.color() == color) {
                recent.add(s);
                if (recent.size() > limit) {
                    recent.poll();
                }
            }
        }
        List<Session> ordered = new ArrayList<>(recent);
        ordered.sort(byRecency.reversed());
        List<SessionView> page = new ArrayList<>(ordered.size());
        for (Session s : ordered) {
            page.add(new SessionView(
                    s.key().idPrefix(),
                    s.color(),
                    Duration.ofNanos(Math.max(0, now - s.pinnedAt())),
                    s.busy() ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - s.lastSeen()))));
        }
        return page;
    }
}
