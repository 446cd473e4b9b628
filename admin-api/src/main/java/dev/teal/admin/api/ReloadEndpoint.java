package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /reload}: re-reads the configuration. A file that does not validate is refused with every
 * problem, and the running configuration stays.
 */
final class ReloadEndpoint implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(ReloadEndpoint.class);

    private final Reloader reloader;

    ReloadEndpoint(Reloader reloader) {
        this.reloader = requireNonNull(reloader, "reloader");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams.parse(request, List.of());
        String applied;
        // One reload at a time: two concurrent ones could apply an older file last.
        synchronized (this) {
            try {
                applied = reloader.reload();
            } catch (ReloadRefusedException e) {
                int n = e.problems().size();
                throw ApiError.badRequest("configuration not reloaded, " + n + (n == 1 ? " problem: " : " problems: ")
                                + String.join("; ", e.problems()))
                        .exception();
            }
        }
        log.info("Configuration reloaded: {}", applied);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("reloaded", true);
        view.put("applied", applied);
        return ApiResponse.json(HttpResponseStatus.OK, view, "reloaded: " + applied);
    }
}
