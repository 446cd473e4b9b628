package dev.teal.proxy.session;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.teal.config.Color;
import dev.teal.config.SessionSettings;
import dev.teal.config.SessionSettings.CookieSettings;
import dev.teal.config.SessionSettings.KeyKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Settings and wiring shared by the session tests. */
final class Fixtures {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final byte[] SECRET = "an-example-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8);
    static final byte[] OTHER_SECRET = "another-secret-nobody-here-configured-ever".getBytes(StandardCharsets.UTF_8);

    private Fixtures() {}

    static SessionSettings settings(KeyKind kind, List<String> trustedProxies) {
        return new SessionSettings(
                kind,
                new CookieSettings("teal", List.of(), CookieSettings.Secure.AUTO, Optional.empty()),
                "JSESSIONID",
                "Authorization",
                IDLE,
                trustedProxies);
    }

    static SessionSettings settings(KeyKind kind) {
        return settings(kind, List.of());
    }

    static CookieCodec codec(byte[]... secrets) {
        return new CookieCodec(settings(KeyKind.COOKIE).cookie(), List.of(secrets), IDLE);
    }

    /** A table on manual time whose maintenance runs on the calling thread. */
    static SessionTable table(ManualTime time, SessionEvents events) {
        return new SessionTable(IDLE, time, time.clock(), Scheduler.disabledScheduler(), Runnable::run, events);
    }

    /** Counts every event, for assertions. */
    static final class CountingEvents implements SessionEvents {
        final Map<Color, AtomicLong> started = new EnumMap<>(Color.class);
        final Map<String, AtomicLong> ended = new ConcurrentHashMap<>();
        final Map<CookieRejection, AtomicLong> rejected = new ConcurrentHashMap<>();

        CountingEvents() {
            for (Color c : Color.values()) {
                started.put(c, new AtomicLong());
            }
        }

        @Override
        public void started(Color color) {
            started.get(color).incrementAndGet();
        }

        @Override
        public void ended(Color color, EndReason reason) {
            ended.computeIfAbsent(color.id() + "/" + reason.id(), k -> new AtomicLong())
                    .incrementAndGet();
        }

        @Override
        public void cookieRejected(CookieRejection reason) {
            rejected.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        }

        long startedOn(Color color) {
            return started.get(color).get();
        }

        long endedOn(Color color, EndReason reason) {
            AtomicLong n = ended.get(color.id() + "/" + reason.id());
            return n == null ? 0 : n.get();
        }

        long rejections(CookieRejection reason) {
            AtomicLong n = rejected.get(reason);
            return n == null ? 0 : n.get();
        }
    }
}
