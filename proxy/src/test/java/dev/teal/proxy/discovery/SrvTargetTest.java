package dev.teal.proxy.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * SRV targets as real servers send them: compressed, pointing into the question (RFC 2782 asks servers
 * not to, RFC 3597 asks clients to cope). The test server of the ITs never compresses, so this one decodes
 * a hand-made message with Netty's decoder alone.
 */
class SrvTargetTest {
    @Test
    void readsACompressedTargetAndThePort() {
        ByteBuf m = Unpooled.buffer();
        m.writeShort(0x1234)
                .writeShort(0x8180)
                .writeShort(1)
                .writeShort(2)
                .writeShort(0)
                .writeShort(0);
        int question = m.writerIndex(); // 12
        name(m, "_http", "_tcp", "shop", "test");
        m.writeShort(33).writeShort(1);
        int shop = question + 1 + "_http".length() + 1 + "_tcp".length(); // "shop.test." inside the question
        // 1: target "a" + pointer to "shop.test.", port 8081.
        answer(m, question, 60, 10, 5, 8081, "a", shop);
        // 2: target entirely a pointer to "shop.test.", port 8082.
        answer(m, question, 30, 20, 5, 8082, null, shop);

        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsResponseDecoder());
        InetSocketAddress here = new InetSocketAddress("127.0.0.1", 53);
        ch.writeInbound(new DatagramPacket(m, here, here));
        DnsResponse response = ch.readInbound();
        try {
            DnsRecord first = response.recordAt(DnsSection.ANSWER, 0);
            DnsRecord second = response.recordAt(DnsSection.ANSWER, 1);
            assertThat(DnsLookup.SrvTarget.of(first)).isEqualTo(new DnsLookup.SrvTarget("a.shop.test.", 8081));
            assertThat(DnsLookup.SrvTarget.of(second)).isEqualTo(new DnsLookup.SrvTarget("shop.test.", 8082));
            assertThat(DnsLookup.SrvTarget.of(response.recordAt(DnsSection.QUESTION)))
                    .isNull();
        } finally {
            response.release();
            ch.finishAndReleaseAll();
        }
    }

    private static void name(ByteBuf m, String... labels) {
        for (String label : labels) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            m.writeByte(b.length).writeBytes(b);
        }
        m.writeByte(0);
    }

    private static void answer(
            ByteBuf m, int owner, int ttl, int priority, int weight, int port, String label, int pointer) {
        m.writeShort(0xC000 | owner).writeShort(33).writeShort(1).writeInt(ttl);
        int length = 6 + (label == null ? 0 : 1 + label.length()) + 2;
        m.writeShort(length).writeShort(priority).writeShort(weight).writeShort(port);
        if (label != null) {
            m.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        m.writeShort(0xC000 | pointer);
    }
}
