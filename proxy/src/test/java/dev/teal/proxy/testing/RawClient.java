package dev.teal.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client on a plain socket, for bytes no HTTP library would send. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Everything until the peer closes, or until {@code timeout} passes without a byte. */
    public String readUntilClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            b.write("<<timeout>>".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            b.write(("<<" + e.getMessage() + ">>").getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one response: its head and a body framed by Content-Length or chunked encoding. */
    public RawResponse readResponse() throws IOException {
        return RawResponse.read(in, false);
    }

    /** Reads one response to a HEAD request (no body whatever the headers say). */
    public RawResponse readHeadResponse() throws IOException {
        return RawResponse.read(in, true);
    }

    /** True if the peer has closed the connection (reads EOF within the time-out). */
    public boolean closedWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
