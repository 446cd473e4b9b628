package dev.teal.proxy.testing;

import dev.teal.config.HostPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small authoritative DNS server on loopback UDP for discovery tests, built on Netty's DNS codec: A,
 * AAAA and SRV records that a test sets and changes while teal runs, every question it was asked (with
 * when), and ways to fail (no answer at all, SERVFAIL). A name without any record is NXDOMAIN; a name
 * with records of other types only is an empty NOERROR answer.
 */
public final class TestDnsServer implements AutoCloseable {
    /** How the server answers. */
    public enum Mode {
        ANSWER,
        /** Drops every question: clients time out. */
        SILENT,
        SERVFAIL
    }

    /** One SRV record: a target name and a port. */
    public record Srv(String target, int port) {}

    /** A question as received. */
    public record Question(String name, DnsRecordType type, long nanoTime) {}

    private record Key(String name, DnsRecordType type) {}

    private record Answer(long ttl, List<byte[]> contents) {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final Map<Key, Answer> records = new ConcurrentHashMap<>();
    private final List<Question> questions = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.ANSWER;

    private TestDnsServer() {
        channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline()
                                .addLast(new DatagramDnsQueryDecoder())
                                .addLast(new DatagramDnsResponseEncoder())
                                .addLast(new Answers());
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    public static TestDnsServer start() {
        return new TestDnsServer();
    }

    /** Where it listens, as {@code teal.discovery.dns.servers} takes it. */
    public HostPort address() {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return new HostPort(a.getAddress().getHostAddress(), a.getPort());
    }

    /** Replaces the A records of {@code name} (none: removes them). */
    public TestDnsServer a(String name, long ttl, String... ips) {
        return set(name, DnsRecordType.A, ttl, ips);
    }

    /** Replaces the AAAA records of {@code name} (none: removes them). */
    public TestDnsServer aaaa(String name, long ttl, String... ips) {
        return set(name, DnsRecordType.AAAA, ttl, ips);
    }

    /** Replaces the SRV records of {@code name} (none: removes them). */
    public TestDnsServer srv(String name, long ttl, Srv... targets) {
        Key key = new Key(normal(name), DnsRecordType.SRV);
        if (targets.length == 0) {
            records.remove(key);
            return this;
        }
        List<byte[]> contents = new java.util.ArrayList<>();
        for (Srv t : targets) {
            ByteBuf b = Unpooled.buffer();
            b.writeShort(10); // priority
            b.writeShort(5); // weight
            b.writeShort(t.port());
            for (String label : normal(t.target()).split("\\.")) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                b.writeByte(bytes.length).writeBytes(bytes);
            }
            b.writeByte(0);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            contents.add(bytes);
        }
        records.put(key, new Answer(ttl, contents));
        return this;
    }

    public void mode(Mode next) {
        mode = next;
    }

    /** The questions asked for {@code name} and {@code type}, oldest first. */
    public List<Question> questions(String name, DnsRecordType type) {
        String n = normal(name);
        return questions.stream()
                .filter(q -> q.name().equals(n) && q.type().equals(type))
                .toList();
    }

    private TestDnsServer set(String name, DnsRecordType type, long ttl, String... ips) {
        Key key = new Key(normal(name), type);
        if (ips.length == 0) {
            records.remove(key);
            return this;
        }
        List<byte[]> contents = new java.util.ArrayList<>();
        for (String ip : ips) {
            try {
                contents.add(InetAddress.getByName(ip).getAddress()); // literals only: nothing is resolved
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(ip, e);
            }
        }
        records.put(key, new Answer(ttl, contents));
        return this;
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private final class Answers extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = normal(question.name());
            questions.add(new Question(name, question.type(), System.nanoTime()));
            Mode m = mode;
            if (m == Mode.SILENT) {
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setAuthoritativeAnswer(true).setRecursionDesired(query.isRecursionDesired());
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            if (m == Mode.SERVFAIL) {
                response.setCode(DnsResponseCode.SERVFAIL);
            } else if (records.keySet().stream().noneMatch(k -> k.name().equals(name))) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else {
                Answer answer = records.get(new Key(name, question.type()));
                if (answer != null) {
                    for (byte[] content : answer.contents()) {
                        response.addRecord(
                                DnsSection.ANSWER,
                                new DefaultDnsRawRecord(
                                        question.name(),
                                        question.type(),
                                        answer.ttl(),
                                        Unpooled.wrappedBuffer(content)));
                    }
                }
            }
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
