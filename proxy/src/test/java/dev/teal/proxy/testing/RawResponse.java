package dev.teal.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A response read off a raw socket, with just enough HTTP/1.1 framing to find its end. */
public record RawResponse(String statusLine, List<String> headers, byte[] body) {
    public int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    public String header(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String h : headers) {
            if (h.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return h.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    public List<String> headers(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        List<String> values = new ArrayList<>();
        for (String h : headers) {
            if (h.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                values.add(h.substring(prefix.length()).trim());
            }
        }
        return values;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static RawResponse read(InputStream in, boolean headRequest) throws IOException {
        String statusLine;
        RawResponse interim;
        do {
            statusLine = line(in);
            List<String> headers = new ArrayList<>();
            String h;
            while (!(h = line(in)).isEmpty()) {
                headers.add(h);
            }
            interim = new RawResponse(statusLine, headers, new byte[0]);
        } while (interim.status() >= 100 && interim.status() < 200 && interim.status() != 101);
        if (headRequest || interim.status() == 204 || interim.status() == 304 || interim.status() == 101) {
            return interim;
        }
        String te = interim.header("transfer-encoding");
        String cl = interim.header("content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (cl != null) {
            byte[] b = in.readNBytes(Integer.parseInt(cl));
            if (b.length < Integer.parseInt(cl)) {
                throw new EOFException("body ended after " + b.length + " of " + cl + " bytes");
            }
            body.write(b);
        } else {
            body.write(in.readAllBytes());
        }
        return new RawResponse(statusLine, interim.headers(), body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            throw new EOFException("connection closed");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
