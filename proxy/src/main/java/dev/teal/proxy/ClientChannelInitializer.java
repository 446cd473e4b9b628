package dev.teal.proxy;

import dev.teal.config.LimitSettings;
import dev.teal.proxy.exchange.ClientConnection;
import dev.teal.proxy.exchange.ProxyRuntime;
import dev.teal.proxy.tls.TlsTermination;
import dev.teal.proxy.wire.ClientResponseEncoder;
import dev.teal.proxy.wire.ConnectionLimit;
import dev.teal.proxy.wire.RequestGuard;
import dev.teal.proxy.wire.RequestHeadTimeout;
import dev.teal.proxy.wire.StrictRequestDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.flow.FlowControlHandler;
import java.util.List;

/** The client pipeline, read top to bottom: one method per concern. */
public final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String LIMIT = "limit";
    static final String HEAD_TIMEOUT = "head-timeout";
    public static final String DECODER = "decoder";
    public static final String ENCODER = "encoder";
    static final String FLOW = "flow";
    static final String GUARD = "guard";
    static final String PROXY = "proxy";
    /** Handlers that only make sense while the connection speaks HTTP: removed on an upgrade. */
    public static final List<String> HTTP_ONLY = List.of(HEAD_TIMEOUT, FLOW, GUARD);

    private final ProxyRuntime runtime;
    private final ConnectionLimit connectionLimit;
    private final ChannelGroup clients;
    private final TlsTermination tls;

    /** @param tls the TLS listener's handshake handlers, or null for the plain listener */
    ClientChannelInitializer(
            ProxyRuntime runtime, ConnectionLimit connectionLimit, ChannelGroup clients, TlsTermination tls) {
        this.runtime = runtime;
        this.connectionLimit = connectionLimit;
        this.clients = clients;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        addLimits(p);
        ClientResponseEncoder encoder = addHttpCodec(p);
        addRequestChecks(p);
        addProxying(p, encoder);
        clients.add(ch);
    }

    private void addLimits(ChannelPipeline p) {
        p.addLast(LIMIT, connectionLimit);
        if (tls != null) {
            // After the limit, so a connection over it costs no handshake.
            tls.addTo(p);
        }
        p.addLast(HEAD_TIMEOUT, new RequestHeadTimeout(runtime::settings, runtime.metrics()));
    }

    private ClientResponseEncoder addHttpCodec(ChannelPipeline p) {
        ClientResponseEncoder encoder = new ClientResponseEncoder();
        p.addLast(
                DECODER,
                new StrictRequestDecoder(requestDecoding(runtime.settings().limits())));
        p.addLast(ENCODER, encoder);
        return encoder;
    }

    /** How client requests are decoded; the fuzz tests build their decoder from this too. */
    static HttpDecoderConfig requestDecoding(LimitSettings limits) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(65536)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
    }

    private void addRequestChecks(ChannelPipeline p) {
        // Holds what the decoder produced beyond the current request until the proxy asks for it,
        // which keeps pipelined requests in order behind the one being served.
        p.addLast(FLOW, new FlowControlHandler());
        p.addLast(GUARD, new RequestGuard(runtime::settings, runtime.metrics()));
    }

    private void addProxying(ChannelPipeline p, ClientResponseEncoder encoder) {
        p.addLast(PROXY, new ClientConnection(runtime, (RequestHeadTimeout) p.get(HEAD_TIMEOUT), encoder));
    }
}
