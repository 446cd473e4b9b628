package dev.teal.proxy.wire;

import dev.teal.proxy.exchange.ClientConnection;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * Netty's response encoder, told when the response answers a HEAD request so that it writes no body
 * framing (a chunked HEAD response must not end with a zero-length chunk). {@link ClientConnection} serves one
 * request at a time per connection, so one flag is enough.
 */
public final class ClientResponseEncoder extends HttpResponseEncoder {
    private boolean nextAnswersHead;

    public void nextAnswersHead() {
        nextAnswersHead = true;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return super.isContentAlwaysEmpty(msg);
        }
        boolean head = nextAnswersHead;
        nextAnswersHead = false;
        return head || super.isContentAlwaysEmpty(msg);
    }
}
