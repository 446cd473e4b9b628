package dev.teal.proxy.testing;

import dev.teal.config.Backend;
import dev.teal.config.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A backend on a plain socket that answers each request head with whatever bytes it is told to, for
 * responses no HTTP library would write (both framings, chunked on HTTP/1.0). Bodies are not read: tests
 * send requests without one. Records every byte received and how each connection ended.
 */
public final class RawBackend implements AutoCloseable {
    private final ServerSocket server;
    private final Function<String, String> answer;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedByPeer = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private RawBackend(Function<String, String> answer) {
        this.answer = answer;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "raw-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request head (ISO-8859-1 text, up to the empty line) with {@code answer.apply(head)}. */
    public static RawBackend answering(Function<String, String> answer) {
        return new RawBackend(answer);
    }

    public Backend backend() {
        return new Backend(new HostPort("127.0.0.1", server.getLocalPort()));
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    /** Connections the proxy closed (the backend read end-of-stream on them). */
    public int connectionsClosedByPeer() {
        return closedByPeer.get();
    }

    public String receivedBytes() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "raw-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                synchronized (received) {
                    received.write(c);
                }
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    s.getOutputStream().write(answer.apply(head.toString()).getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    head.setLength(0);
                }
            }
            closedByPeer.incrementAndGet();
        } catch (IOException e) {
            // The proxy reset the connection, or the test closed the backend: both end it.
            closedByPeer.incrementAndGet();
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
