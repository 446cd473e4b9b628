package dev.teal.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many client connections that send a request head one byte at a time (slowloris, as {@code slowhttptest
 * -H} does), driven by one thread and one selector so that thousands cost little. Each connection records
 * what it received and when the proxy closed it.
 */
public final class SlowClients implements AutoCloseable {
    /** What one connection saw. */
    public record Outcome(String received, long closedAfterFirstByteMillis) {
        public boolean closed() {
            return closedAfterFirstByteMillis >= 0;
        }
    }

    private final List<Connection> connections;
    private final Selector selector;
    private final byte[] text;
    private final long intervalNanos;
    private final Thread driver;
    private final CountDownLatch allClosed;
    private volatile boolean stopped;

    private static final class Connection {
        final SocketChannel channel;
        final StringBuilder received = new StringBuilder();
        int sent;
        long firstByteNanos;
        long closedNanos = -1;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private SlowClients(InetSocketAddress address, int count, String head, Duration every) throws IOException {
        this.text = head.getBytes(StandardCharsets.ISO_8859_1);
        this.intervalNanos = every.toNanos();
        this.selector = Selector.open();
        this.connections = new ArrayList<>(count);
        this.allClosed = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            // Small buffers: thousands of connections should not cost the test JVM much kernel memory.
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            ch.connect(address);
            ch.configureBlocking(false);
            Connection c = new Connection(ch);
            ch.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
        }
        this.driver = new Thread(this::drive, "slow-clients");
        driver.setDaemon(true);
        driver.start();
    }

    /**
     * Opens {@code count} connections to {@code address}, then sends {@code head} on each, one byte every
     * {@code every}, until the head is sent or the proxy closes the connection.
     */
    public static SlowClients start(InetSocketAddress address, int count, String head, Duration every) {
        try {
            return new SlowClients(address, count, head, every);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until every connection was closed by the proxy; false when {@code timeout} passed first. */
    public boolean awaitAllClosed(Duration timeout) throws InterruptedException {
        return allClosed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Connections closed by the proxy so far. */
    public int closedCount() {
        return (int) (connections.size() - allClosed.getCount());
    }

    /** What each connection saw; call after {@link #close()} or {@link #awaitAllClosed}. */
    public synchronized List<Outcome> outcomes() {
        List<Outcome> list = new ArrayList<>(connections.size());
        for (Connection c : connections) {
            list.add(new Outcome(
                    c.received.toString(),
                    c.closedNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(c.closedNanos - c.firstByteNanos)));
        }
        return list;
    }

    private void drive() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        long nextDrip = System.nanoTime();
        try {
            while (!stopped && allClosed.getCount() > 0) {
                long now = System.nanoTime();
                if (now - nextDrip >= 0) {
                    drip(now);
                    nextDrip = now + intervalNanos;
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextDrip - System.nanoTime())));
                for (SelectionKey key : selector.selectedKeys()) {
                    read((Connection) key.attachment(), key, buf);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void drip(long now) {
        for (Connection c : connections) {
            if (c.closedNanos >= 0 || c.sent >= text.length) {
                continue;
            }
            try {
                if (c.channel.write(ByteBuffer.wrap(text, c.sent, 1)) == 1) {
                    if (c.sent == 0) {
                        c.firstByteNanos = now;
                    }
                    c.sent++;
                }
            } catch (IOException e) {
                closed(c, null);
            }
        }
    }

    private synchronized void read(Connection c, SelectionKey key, ByteBuffer buf) {
        try {
            buf.clear();
            int n = c.channel.read(buf);
            if (n < 0) {
                closed(c, key);
            } else if (c.received.length() < 512) {
                c.received.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            closed(c, key);
        }
    }

    private void closed(Connection c, SelectionKey key) {
        if (c.closedNanos >= 0) {
            return;
        }
        c.closedNanos = System.nanoTime();
        if (key != null) {
            key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            // Already gone.
        }
        allClosed.countDown();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stopped = true;
        selector.wakeup();
        driver.join(TimeUnit.SECONDS.toMillis(10));
        for (Connection c : connections) {
            c.channel.close();
        }
        selector.close();
    }
}
