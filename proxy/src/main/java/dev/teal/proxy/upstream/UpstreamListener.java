package dev.teal.proxy.upstream;

/**
 * The exchange an upstream connection currently serves. Called on the connection's event loop, which is
 * also the client connection's.
 */
public interface UpstreamListener {
    /** A decoded response object (HttpResponse, HttpContent) or, after an upgrade, raw bytes. */
    void upstreamRead(Object msg);

    void upstreamReadComplete();

    void upstreamWritabilityChanged(boolean writable);

    /**
     * The connection closed or failed while serving this exchange.
     *
     * @param cause the failure, or null for a plain close
     */
    void upstreamClosed(Throwable cause);
}
