package dev.teal.admin.testing;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.HostPort;
import dev.teal.config.TealSettings;
import dev.teal.proxy.BackendSnapshot;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.SessionView;
import dev.teal.proxy.Split;
import dev.teal.proxy.TrafficControl;
import dev.teal.proxy.TrafficSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TrafficControl} that records every call and reports whatever the test sets. The real proxy
 * replaces it in end-to-end tests.
 */
public final class FakeTrafficControl implements TrafficControl {
    private final Clock clock;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<Color, ColorSnapshot> colors = new EnumMap<>(Color.class);
    private final List<SessionView> sessions = new CopyOnWriteArrayList<>();
    private volatile Split split;
    private volatile CountDownLatch setSplitGate;
    private volatile CountDownLatch setSplitEntered;

    public FakeTrafficControl(Split split, Clock clock) {
        this.split = split;
        this.clock = clock;
        color(Color.BLUE, 1234, 7, 2, DrainState.SERVING, healthy("10.0.1.1:8080"), healthy("10.0.1.2:8080"));
        color(Color.GREEN, 567, 3, 0, DrainState.SERVING, healthy("10.0.2.1:8080"));
    }

    public FakeTrafficControl() {
        this(new Split(0), Clock.systemUTC());
    }

    public static BackendSnapshot healthy(String address) {
        return new BackendSnapshot(new Backend(HostPort.parse(address)), true, Optional.empty(), 1);
    }

    public static BackendSnapshot unhealthy(String address) {
        return new BackendSnapshot(new Backend(HostPort.parse(address)), false, Optional.empty(), 0);
    }

    public synchronized void color(
            Color color, long sessions, long inFlight, long upgraded, DrainState drain, BackendSnapshot... backends) {
        color(new ColorSnapshot(
                color, List.of(backends), sessions, inFlight, upgraded, drain, Optional.empty(), Optional.empty()));
    }

    public synchronized void color(ColorSnapshot snapshot) {
        colors.put(snapshot.color(), snapshot);
    }

    public synchronized ColorSnapshot color(Color color) {
        return colors.get(color);
    }

    /** Sets a color's counts, keeping the rest. */
    public synchronized void counts(Color color, long sessions, long inFlight) {
        ColorSnapshot c = colors.get(color);
        colors.put(
                color,
                new ColorSnapshot(
                        color,
                        c.backends(),
                        sessions,
                        inFlight,
                        c.upgraded(),
                        c.drain(),
                        c.drainDeadline(),
                        c.drainEstimate()));
    }

    public synchronized void drain(Color color, DrainState drain, Optional<Instant> deadline) {
        ColorSnapshot c = colors.get(color);
        colors.put(
                color,
                new ColorSnapshot(
                        color,
                        c.backends(),
                        c.activeSessions(),
                        c.inFlight(),
                        c.upgraded(),
                        drain,
                        deadline,
                        deadline.map(d -> d.minus(Duration.ofMinutes(5)))));
    }

    public void sessions(List<SessionView> views) {
        sessions.clear();
        sessions.addAll(views);
    }

    /** Makes the next {@code setSplit} calls wait until {@link #openGate()}. */
    public void closeGate() {
        setSplitEntered = new CountDownLatch(1);
        setSplitGate = new CountDownLatch(1);
    }

    public void openGate() {
        CountDownLatch gate = setSplitGate;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Waits until a {@code setSplit} call is held at the closed gate. */
    public boolean awaitHeldAtGate(Duration timeout) throws InterruptedException {
        return setSplitEntered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public Split split() {
        return split;
    }

    @Override
    public void setSplit(Split split) {
        calls.add("setSplit " + split.green());
        CountDownLatch gate = setSplitGate;
        if (gate != null) {
            setSplitEntered.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        this.split = split;
    }

    @Override
    public void forceMove(Color from) {
        calls.add("forceMove " + from);
    }

    @Override
    public synchronized TrafficSnapshot snapshot() {
        return new TrafficSnapshot(clock.instant(), split, new EnumMap<>(colors));
    }

    @Override
    public void reload(TealSettings settings) {
        calls.add("reload");
    }

    @Override
    public List<SessionView> sessions(Color color, int limit) {
        List<SessionView> page = new ArrayList<>();
        for (SessionView s : sessions) {
            if (s.color() == color && page.size() < limit) {
                page.add(s);
            }
        }
        return page;
    }
}
