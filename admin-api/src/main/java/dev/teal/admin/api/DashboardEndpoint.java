package dev.teal.admin.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's static files ({@code GET /} and {@code /ui/...}), read once from the class path at
 * start. Only the files listed here exist: no path from the request ever reaches the class loader.
 */
final class DashboardEndpoint implements Endpoint {
    private static final String ROOT = "/dev/teal/admin/dashboard/";
    private static final List<String> FILES =
            List.of("index.html", "app.css", "app.js", "chart.js", "plan.css", "plan.js", "favicon.svg");

    /**
     * The page only talks to its own origin, runs only its own scripts, and may not be framed, so that
     * another site cannot overlay the ramp buttons (clickjacking).
     */
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
                    + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            "X-Frame-Options",
            "DENY",
            "Referrer-Policy",
            "no-referrer",
            "Cache-Control",
            "no-cache");

    private final Map<String, ApiResponse> files = new HashMap<>();

    DashboardEndpoint() {
        for (String name : FILES) {
            ApiResponse response = new ApiResponse(HttpResponseStatus.OK, contentType(name), read(name), HEADERS, "");
            files.put(name.equals("index.html") ? "/" : "/ui/" + name, response);
        }
        // Browsers ask for it whatever the page says; answering spares a 404 in the console.
        files.put("/favicon.ico", files.get("/ui/favicon.svg"));
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        String path = request.path();
        ApiResponse file = files.get(path);
        if (file == null) {
            throw ApiError.notFound(path).exception();
        }
        return file;
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardEndpoint.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the class path: " + ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard file " + ROOT + name + " cannot be read", e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }
}
