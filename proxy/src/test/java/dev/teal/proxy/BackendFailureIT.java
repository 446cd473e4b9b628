package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When no instance of a color takes the connection, the client gets a quick 503 that says why. The other
 * backend faults are catalogue rows (D4–D8) in {@code hardening.FaultsIT}.
 */
class BackendFailureIT {
    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void answers503QuicklyWhenNoInstanceOfTheColorAcceptsConnections() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t);
        String backend = f.blue.get(0).backend().toString();
        f.blue.get(0).close();
        try (RawClient c = f.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText())
                    .contains("no blue backend accepted the connection")
                    .contains(backend);
        }
    }
}
