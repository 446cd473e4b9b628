package dev.teal.admin.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects Netty's {@code LEAK:} reports (logback appender; static because logback instantiates it). */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK:")) {
            LEAKS.add(event.getFormattedMessage());
        }
    }

    static List<String> drain() {
        List<String> leaks = List.copyOf(LEAKS);
        LEAKS.clear();
        return leaks;
    }
}
