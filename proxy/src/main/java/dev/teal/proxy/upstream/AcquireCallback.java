package dev.teal.proxy.upstream;

/** Answer to {@link Upstreams#acquire}; always called on the requesting event loop. */
public interface AcquireCallback {
    /**
     * @param connection a connection bound to nobody yet
     * @param reused whether it comes from the pool (it may have been closed by the backend meanwhile)
     */
    void acquired(UpstreamConnection connection, boolean reused);

    void failed(BackendState backend, Throwable cause);
}
