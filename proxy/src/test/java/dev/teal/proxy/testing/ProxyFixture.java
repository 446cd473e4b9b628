package dev.teal.proxy.testing;

import dev.teal.config.TealSettings;
import dev.teal.proxy.TealProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** A proxy in front of stub backends, started and stopped around a test. */
public final class ProxyFixture implements AutoCloseable {
    public final List<StubBackend> blue = new ArrayList<>();
    public final List<StubBackend> green = new ArrayList<>();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public TealProxy proxy;

    /** {@code blueCount} blue and {@code greenCount} green backends, settings changed by {@code tune}. */
    public static ProxyFixture start(int blueCount, int greenCount, Function<TestSettings, TestSettings> tune) {
        ProxyFixture f = new ProxyFixture();
        for (int i = 1; i <= blueCount; i++) {
            f.blue.add(StubBackend.start("blue-" + i));
        }
        for (int i = 1; i <= greenCount; i++) {
            f.green.add(StubBackend.start("green-" + i));
        }
        TealSettings settings = tune.apply(TestSettings.backends(
                        f.blue.stream().map(StubBackend::backend).toList(),
                        f.green.stream().map(StubBackend::backend).toList()))
                .build();
        f.proxy = TealProxy.start(settings, f.meters);
        return f;
    }

    public static ProxyFixture start() {
        return start(1, 1, t -> t);
    }

    public InetSocketAddress address() {
        return proxy.localAddress();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address().getPort() + path);
    }

    public RawClient client() throws java.io.IOException {
        return new RawClient(address());
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; false on time-out. */
    public static boolean eventually(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        return condition.getAsBoolean();
    }

    /** The sum of a counter's values across all its tag combinations that match {@code tags}. */
    public double count(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.shutdown(Duration.ofSeconds(5));
        }
        blue.forEach(StubBackend::close);
        green.forEach(StubBackend::close);
    }
}
