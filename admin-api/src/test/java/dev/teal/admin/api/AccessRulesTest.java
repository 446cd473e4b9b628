package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final AccessRules open = new AccessRules(Optional.empty(), "127.0.0.1", LOOPBACK, 9901);
    private final AccessRules locked = new AccessRules(Optional.of("s3cret-token"), "0.0.0.0", LOOPBACK, 9901);

    private static ApiRequest request(String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        InetSocketAddress peer = new InetSocketAddress(LOOPBACK, 40000);
        return new ApiRequest(HttpMethod.POST, "/ramp?green=5", h, peer, new InetSocketAddress(LOOPBACK, 9901));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:9901", "localhost:9901", "LOCALHOST:9901", "[::1]:9901"})
    void ownHostNamesAreAccepted(String host) {
        assertThat(open.checkHost(request("Host", host))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"evil.example:9901", "127.0.0.1:8080", "127.0.0.1", "localhost.evil.example:9901"})
    void otherHostsAreRefusedAsDnsRebinding(String host) {
        assertThat(open.checkHost(request("Host", host)))
                .hasValueSatisfying(e -> assertThat(e.status().code()).isEqualTo(403));
    }

    @Test
    void hostIsNotCheckedWhenATokenGuardsTheListener() {
        assertThat(locked.checkHost(request("Host", "teal-1.prod.internal:9901")))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Bearer s3cret-token|true",
                "bearer s3cret-token|true",
                "Bearer  s3cret-token |true",
                "Bearer s3cret-toke|false",
                "Bearer s3cret-token2|false",
                "s3cret-token|false",
                "Basic czNjcmV0LXRva2Vu|false",
                "Bearer S3CRET-TOKEN|false"
            })
    void tokenMustMatchExactly(String authorization, boolean accepted) {
        assertThat(locked.checkToken(request("Authorization", authorization)).isEmpty())
                .isEqualTo(accepted);
    }

    @Test
    void missingTokenIsUnauthorizedWithAChallenge() {
        assertThat(locked.checkToken(request())).hasValueSatisfying(e -> {
            assertThat(e.status().code()).isEqualTo(401);
            assertThat(e.headers()).containsKey("WWW-Authenticate");
        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.1:9901|||true",
                "127.0.0.1:9901|http://127.0.0.1:9901||true",
                "127.0.0.1:9901|http://127.0.0.1:9901|same-origin|true",
                "127.0.0.1:9901||none|true",
                "127.0.0.1:9901|https://evil.example||false",
                "127.0.0.1:9901|null||false",
                "127.0.0.1:9901|http://127.0.0.1:9901/x||false",
                "127.0.0.1:9901||cross-site|false",
                "127.0.0.1:9901||same-site|false",
                "127.0.0.1:9901|http://127.0.0.1:9901|cross-site|false"
            })
    void mutatingCallsFromOtherOriginsAreRefused(String host, String origin, String fetchSite, boolean accepted) {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", host);
        if (origin != null) {
            h.add("Origin", origin);
        }
        if (fetchSite != null) {
            h.add("Sec-Fetch-Site", fetchSite);
        }
        InetSocketAddress peer = new InetSocketAddress(LOOPBACK, 40000);
        ApiRequest request = new ApiRequest(HttpMethod.POST, "/ramp", h, peer, peer);

        assertThat(open.checkOrigin(request).isEmpty()).isEqualTo(accepted);
    }
}
