package dev.teal.proxy.upstream;

/** What the pools report to the metrics. Called from event loops: must not block. */
public interface UpstreamEvents {
    void connectionOpened(BackendState backend);

    void connectionClosed(BackendState backend);

    UpstreamEvents NONE = new UpstreamEvents() {
        @Override
        public void connectionOpened(BackendState backend) {}

        @Override
        public void connectionClosed(BackendState backend) {}
    };
}
