package dev.teal.proxy.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** A Logback appender that keeps Netty's {@code LEAK:} reports for {@link LeakCheckExtension}. */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    // Logback creates appenders by reflection, so the reports must be reachable statically; tests only.
    private static final List<String> REPORTS = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("LEAK:")) {
            synchronized (REPORTS) {
                REPORTS.add(message);
            }
        }
    }

    static List<String> drain() {
        synchronized (REPORTS) {
            List<String> copy = List.copyOf(REPORTS);
            REPORTS.clear();
            return copy;
        }
    }
}
