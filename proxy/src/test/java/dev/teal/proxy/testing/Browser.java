package dev.teal.proxy.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A client that keeps cookies like a browser (name, value, deletion by {@code Max-Age=0}) and asks
 * through its own connection, so tests can follow sessions through teal.
 */
public final class Browser {
    private final InetSocketAddress proxy;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Browser(InetSocketAddress proxy) {
        this.proxy = proxy;
    }

    /** A request header sent with every request (e.g. Authorization). */
    public Browser header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    public void forget(String cookie) {
        cookies.remove(cookie);
    }

    /** GETs {@code path} on a fresh connection and keeps what {@code Set-Cookie} says. */
    public RawResponse get(String path) throws IOException {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: shop.example\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (!cookies.isEmpty()) {
            head.append("Cookie: ")
                    .append(cookies.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; ")))
                    .append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (RawClient c = new RawClient(proxy)) {
            c.send(head.toString());
            RawResponse r = c.readResponse();
            for (String setCookie : r.headers("set-cookie")) {
                keep(setCookie);
            }
            return r;
        }
    }

    /** The color of the backend that answered {@code path} (stub backends start their body with it). */
    public String color(String path) throws IOException {
        String body = get(path).bodyText();
        return body.startsWith("green") ? "green" : body.startsWith("blue") ? "blue" : body;
    }

    private void keep(String setCookie) {
        String[] parts = setCookie.split(";");
        String[] nv = parts[0].split("=", 2);
        String name = nv[0].trim();
        String value = nv.length > 1 ? nv[1].trim() : "";
        boolean delete = value.isEmpty();
        for (int i = 1; i < parts.length; i++) {
            String a = parts[i].trim().toLowerCase(Locale.ROOT);
            if (a.startsWith("max-age=") && Long.parseLong(a.substring(8).trim()) <= 0) {
                delete = true;
            }
        }
        if (delete) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }
}
