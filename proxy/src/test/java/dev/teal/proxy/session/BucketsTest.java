package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import dev.teal.config.SessionSettings.KeyKind;
import dev.teal.proxy.Split;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketsTest {
    private final SessionKeys keys = new SessionKeys(Fixtures.settings(KeyKind.SOURCE_ADDRESS), SECRET);

    @Test
    void sendsAQuarterOfNewSessionsToGreenAtSplit25() {
        int green = 0;
        for (int i = 0; i < 4_000; i++) {
            if (Buckets.colorFor(keys.newSessionId(), new Split(25)) == Color.GREEN) {
                green++;
            }
        }
        assertThat(green / 4_000.0).isBetween(0.22, 0.28);
    }

    @Test
    void rampsMonotonicallyForStableKeys() {
        List<SessionKey> clients = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String address = "198.51." + (i / 250) + "." + (i % 250);
            clients.add(keys.addressKey(new DefaultHttpHeaders(), new InetSocketAddress(address, 1)));
        }
        int[] steps = {0, 1, 5, 10, 25, 50, 75, 99, 100};
        for (int s = 1; s < steps.length; s++) {
            Split before = new Split(steps[s - 1]);
            Split after = new Split(steps[s]);
            for (SessionKey client : clients) {
                if (Buckets.colorFor(client, before) == Color.GREEN) {
                    assertThat(Buckets.colorFor(client, after))
                            .as("%s → %s", before, after)
                            .isEqualTo(Color.GREEN);
                }
            }
        }
        assertThat(clients).allMatch(c -> Buckets.colorFor(c, new Split(0)) == Color.BLUE);
        assertThat(clients).allMatch(c -> Buckets.colorFor(c, new Split(100)) == Color.GREEN);
    }

    @Test
    void spreadsKeysOverAllTenThousandBuckets() {
        int[] counts = new int[Buckets.COUNT];
        for (int i = 0; i < 200_000; i++) {
            counts[Buckets.bucket(keys.newSessionId())]++;
        }
        // 20 per bucket on average: none empty, none wildly over (Poisson tail at 60 is ~1e-13).
        assertThat(java.util.Arrays.stream(counts).min().getAsInt()).isPositive();
        assertThat(java.util.Arrays.stream(counts).max().getAsInt()).isLessThan(60);
    }
}
