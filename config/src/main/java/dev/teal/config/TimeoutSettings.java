package dev.teal.config;

import java.time.Duration;

/**
 * Time-outs ({@code teal.timeouts}); each answers the way operators of HAProxy or NGINX expect.
 *
 * @param requestHead time from the first byte of a request to the end of its head; past it, 408 and
 *     close (default 10s; defends against slowloris)
 * @param keepAliveIdle time an idle client connection waits for its next request; past it, closed
 *     quietly (default 60s)
 * @param clientBodyIdle time between two reads of a request body; past it, 408 (if nothing was
 *     answered yet) and close (default 30s)
 * @param clientSendIdle time a client may leave a response unread while teal has bytes for it; past
 *     it, both sides are closed (default 60s)
 * @param upstreamConnect time to open a backend connection; past it, the next instance is tried
 *     (default 3s)
 * @param upstreamResponse time from the end of the request to the backend's response head; past it,
 *     504 (default 60s)
 * @param upstreamIdle time between two reads of a response body; past it, the exchange is aborted
 *     (default 60s)
 */
public record TimeoutSettings(
        Duration requestHead,
        Duration keepAliveIdle,
        Duration clientBodyIdle,
        Duration clientSendIdle,
        Duration upstreamConnect,
        Duration upstreamResponse,
        Duration upstreamIdle) {
    public TimeoutSettings {
        Checks.positive(requestHead, "request-head");
        Checks.positive(keepAliveIdle, "keep-alive-idle");
        Checks.positive(clientBodyIdle, "client-body-idle");
        Checks.positive(clientSendIdle, "client-send-idle");
        Checks.positive(upstreamConnect, "upstream-connect");
        Checks.positive(upstreamResponse, "upstream-response");
        Checks.positive(upstreamIdle, "upstream-idle");
    }
}
