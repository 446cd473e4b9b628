package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.cluster.InstanceView;
import dev.teal.admin.cluster.Leadership;
import dev.teal.admin.state.LiveState;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A state change sent to any instance is carried out by the leader: on the leader this calls the
 * endpoint; on another instance it sends the same request (method, path, query, bearer token) to the
 * leader's admin API and answers with the leader's answer, unchanged, so that {@code curl
 * admin/ramp?green=25} behind a load balancer works whichever instance it reaches. The leader's gating
 * phases run on the leader, which is the only instance that starts phases.
 *
 * <p>A forwarded request carries {@code Teal-Forwarded-By}; an instance that receives one and is not
 * the leader (leadership moved meanwhile) answers 503 instead of forwarding again, so no request goes
 * round in circles. Without a leader (an election under way) the answer is 503 and nothing changed.
 */
final class LeaderForwarding implements Endpoint {
    static final String FORWARDED_BY = "Teal-Forwarded-By";
    static final String LEADER = "Teal-Leader";

    private final Endpoint local;
    private final Leadership leadership;
    private final LiveState state;
    private final String self;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param self this instance's id, named to the leader in {@link #FORWARDED_BY}
     * @param timeout how long the leader may take to answer (its gating phases run in the request)
     */
    LeaderForwarding(
            Endpoint local, Leadership leadership, LiveState state, String self, HttpClient http, Duration timeout) {
        this.local = requireNonNull(local, "local");
        this.leadership = requireNonNull(leadership, "leadership");
        this.state = requireNonNull(state, "state");
        this.self = requireNonNull(self, "self");
        this.http = requireNonNull(http, "http");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        if (leadership.isLeader()) {
            return local.handle(request);
        }
        // Store first: without it there is no leader to trust, and the answer says since when.
        state.requireReachableStore();
        String forwardedBy = request.headers().get(FORWARDED_BY);
        if (forwardedBy != null) {
            throw ApiError.unavailable(
                            "no leader",
                            "forwarded by " + ApiRequest.abbreviate(forwardedBy) + " to this instance (" + self
                                    + "), which is no longer the leader: leadership is moving; nothing was changed,"
                                    + " try again in a few seconds")
                    .exception();
        }
        Optional<InstanceView> leader = leadership.leader();
        if (leader.isEmpty()) {
            throw ApiError.unavailable(
                            "no leader",
                            "no instance is the leader now (an election is under way); nothing was changed, try again"
                                    + " in a few seconds")
                    .exception();
        }
        return forward(request, leader.get());
    }

    private ApiResponse forward(ApiRequest request, InstanceView leader) {
        URI target;
        try {
            target = URI.create(leader.admin()).resolve(request.uri());
        } catch (IllegalArgumentException e) {
            throw ApiError.unavailable(
                            "leader unreachable",
                            "the leader " + leader.id() + " advertises the admin API '" + leader.admin()
                                    + "', which is not a URI; nothing was changed")
                    .exception();
        }
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .method(request.method().name(), HttpRequest.BodyPublishers.noBody())
                .header(FORWARDED_BY, self);
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            forwarded.header("Authorization", authorization);
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw ApiError.of(
                            HttpResponseStatus.GATEWAY_TIMEOUT,
                            "leader timed out",
                            "the leader " + leader.id() + " (" + leader.admin() + ") did not answer within " + timeout
                                    + "; the change may still be carried out there: GET /status shows the state")
                    .exception();
        } catch (IOException e) {
            throw ApiError.unavailable(
                            "leader unreachable",
                            "the leader " + leader.id() + " (" + leader.admin() + ") cannot be reached (" + e
                                    + "); nothing was changed, try again once the election settled")
                    .exception();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("leader unreachable", "interrupted while forwarding to " + leader.id())
                    .exception();
        }
        String contentType = answer.headers().firstValue("content-type").orElse(ApiResponse.JSON);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LEADER, leader.id());
        // The headers the leader's status needs (405's Allow); the rest is the leader's own business.
        answer.headers().firstValue("allow").ifPresent(allow -> headers.put("Allow", allow));
        return new ApiResponse(
                HttpResponseStatus.valueOf(answer.statusCode()),
                contentType,
                answer.body(),
                headers,
                "forwarded to the leader " + leader.id() + ", which answered " + answer.statusCode());
    }
}
