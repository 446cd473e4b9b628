package dev.teal.proxy.discovery;

import dev.teal.config.DiscoverySettings;
import dev.teal.config.DnsSource;
import dev.teal.config.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Asks DNS for the instances behind a {@link DnsSource}, with Netty's resolver on one event loop of its own
 * (never one of teal's: a slow server delays only discovery). Its caches are off: teal schedules the next
 * question itself from the TTLs, within the floor and ceiling of {@code teal.discovery.dns}.
 */
final class DnsLookup implements AutoCloseable {
    private static final Comparator<HostPort> ORDER =
            Comparator.comparing(HostPort::host).thenComparingInt(HostPort::port);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final DnsNameResolver resolver;

    DnsLookup(DiscoverySettings settings) {
        group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("teal-discovery", true), NioIoHandler.newFactory());
        loop = group.next();
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
                .datagramChannelType(NioDatagramChannel.class)
                // Answers too large for UDP (many SRV records) are asked again over TCP.
                .socketChannelType(NioSocketChannel.class)
                .queryTimeoutMillis(settings.timeout().toMillis())
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .recursionDesired(true);
        if (!settings.servers().isEmpty()) {
            List<InetSocketAddress> servers = new ArrayList<>();
            for (HostPort server : settings.servers()) {
                // IP literals (checked at load): this parses, it does not resolve.
                servers.add(new InetSocketAddress(server.host(), server.port()));
            }
            builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers));
        }
        resolver = builder.build();
    }

    EventLoop loop() {
        return loop;
    }

    /** The instances behind {@code source}; completes on {@link #loop()}. Callable from any thread. */
    Future<Resolution> resolve(DnsSource source) {
        Promise<Resolution> promise = loop.newPromise();
        loop.execute(() -> {
            if (source.kind() == DnsSource.Kind.ADDRESS) {
                addresses(source.name(), source.port(), promise);
            } else {
                service(source.name(), promise);
            }
        });
        return promise;
    }

    /** A and AAAA records of {@code name}, each at {@code port}: found when either type has records. */
    private void addresses(String name, int port, Promise<Resolution> promise) {
        Future<List<DnsRecord>> v4 = resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.A));
        Future<List<DnsRecord>> v6 = resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.AAAA));
        boolean[] finished = new boolean[1]; // both listeners may see both done: read the answers once
        Runnable both = () -> {
            if (!v4.isDone() || !v6.isDone() || finished[0]) {
                return;
            }
            finished[0] = true;
            TreeSet<HostPort> found = new TreeSet<>(ORDER);
            long ttl = Long.MAX_VALUE;
            try {
                for (Future<List<DnsRecord>> f : List.of(v4, v6)) {
                    if (f.isSuccess()) {
                        for (DnsRecord r : f.getNow()) {
                            InetAddress address = address(r);
                            if (address != null) {
                                // RFC 5952's form (::1, not 0:0:0:0:0:0:0:1): the same text a listed backend would
                                // have.
                                found.add(new HostPort(NetUtil.toAddressString(address), port));
                                ttl = Math.min(ttl, r.timeToLive());
                            }
                        }
                    }
                }
            } finally {
                release(v4);
                release(v6);
            }
            if (!found.isEmpty()) {
                promise.trySuccess(new Resolution(List.copyOf(found), Duration.ofSeconds(ttl)));
                return;
            }
            // Neither type gave an address: say why in the most telling way (a time-out over "no AAAA").
            Throwable cause = v4.cause() != null ? v4.cause() : v6.cause();
            if (v4.cause() != null && v6.cause() != null && FailureReason.of(v4.cause()) == FailureReason.NO_RECORDS) {
                cause = v6.cause();
            }
            promise.tryFailure(
                    cause != null ? cause : new FailureReason.NoRecordsException("no A or AAAA record for " + name));
        };
        v4.addListener(f -> both.run());
        v6.addListener(f -> both.run());
    }

    /** SRV records of {@code name}, then the addresses of their targets at the records' ports. */
    private void service(String name, Promise<Resolution> promise) {
        resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV))
                .addListener((Future<List<DnsRecord>> f) -> {
                    if (!f.isSuccess()) {
                        promise.tryFailure(f.cause());
                        return;
                    }
                    Map<String, Integer> targets = new LinkedHashMap<>();
                    long srvTtl = Long.MAX_VALUE;
                    try {
                        for (DnsRecord r : f.getNow()) {
                            SrvTarget t = SrvTarget.of(r);
                            // "." is "this service is not available here" (RFC 2782); port 0 reaches nothing.
                            if (t != null && t.port() != 0 && !t.target().equals(".")) {
                                targets.put(t.target() + " " + t.port(), t.port());
                                srvTtl = Math.min(srvTtl, r.timeToLive());
                            }
                        }
                    } catch (RuntimeException e) {
                        promise.tryFailure(e);
                        return;
                    } finally {
                        release(f);
                    }
                    if (targets.isEmpty()) {
                        promise.tryFailure(new FailureReason.NoRecordsException("no usable SRV record for " + name));
                        return;
                    }
                    targetAddresses(name, targets, srvTtl, promise);
                });
    }

    private void targetAddresses(String name, Map<String, Integer> targets, long srvTtl, Promise<Resolution> promise) {
        List<Future<Resolution>> lookups = new ArrayList<>();
        for (Map.Entry<String, Integer> t : targets.entrySet()) {
            Promise<Resolution> one = loop.newPromise();
            addresses(t.getKey().substring(0, t.getKey().indexOf(' ')), t.getValue(), one);
            lookups.add(one);
        }
        Runnable all = () -> {
            for (Future<Resolution> l : lookups) {
                if (!l.isDone()) {
                    return;
                }
            }
            TreeSet<HostPort> found = new TreeSet<>(ORDER);
            long ttl = srvTtl;
            for (Future<Resolution> l : lookups) {
                if (l.isSuccess()) {
                    found.addAll(l.getNow().addresses());
                    ttl = Math.min(ttl, l.getNow().ttl().toSeconds());
                    continue;
                }
                FailureReason reason = FailureReason.of(l.cause());
                if (reason != FailureReason.NO_RECORDS && reason != FailureReason.NXDOMAIN) {
                    // A target that could not be asked is not a target that is gone: keep the last good set.
                    promise.tryFailure(l.cause());
                    return;
                }
            }
            if (found.isEmpty()) {
                promise.tryFailure(
                        new FailureReason.NoRecordsException("no SRV target of " + name + " has an address"));
            } else {
                promise.trySuccess(new Resolution(List.copyOf(found), Duration.ofSeconds(ttl)));
            }
        };
        for (Future<Resolution> l : lookups) {
            l.addListener(f -> all.run());
        }
    }

    /** One SRV record's target and port. */
    record SrvTarget(String target, int port) {
        /**
         * Reads an SRV record: priority (2 bytes), weight (2), port (2), then the target, a name that may
         * point elsewhere in the message (compression), which the record's content still reaches: Netty
         * keeps it as a view of the whole message. Null for another record type or a record too short.
         */
        static SrvTarget of(DnsRecord r) {
            if (r.type() != DnsRecordType.SRV || !(r instanceof DnsRawRecord raw)) {
                return null;
            }
            ByteBuf content = raw.content();
            if (content.readableBytes() < 7) {
                return null;
            }
            int at = content.readerIndex();
            int port = content.getUnsignedShort(at + 4);
            String target =
                    DefaultDnsRecordDecoder.decodeName(content.duplicate().readerIndex(at + 6));
            return new SrvTarget(target, port);
        }
    }

    private static InetAddress address(DnsRecord r) {
        if (!(r instanceof DnsRawRecord raw) || (r.type() != DnsRecordType.A && r.type() != DnsRecordType.AAAA)) {
            return null;
        }
        ByteBuf content = raw.content();
        int length = content.readableBytes();
        if (length != 4 && length != 16) {
            return null;
        }
        byte[] bytes = new byte[length];
        content.getBytes(content.readerIndex(), bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // only for a wrong length, checked above
        }
    }

    private static void release(Future<List<DnsRecord>> f) {
        if (f.isSuccess()) {
            for (DnsRecord r : f.getNow()) {
                ReferenceCountUtil.safeRelease(r);
            }
        }
    }

    @Override
    public void close() {
        loop.execute(resolver::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
