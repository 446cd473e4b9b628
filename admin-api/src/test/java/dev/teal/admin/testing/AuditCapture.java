package dev.teal.admin.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Captures the {@code teal.audit} lines while open, whatever the logging configuration of the tests says
 * about that logger (the shared one keeps {@code dev.teal} at WARN and the root at WARN).
 */
public final class AuditCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("teal.audit");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level level = logger.getLevel();
    private final boolean additive = logger.isAdditive();

    public AuditCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    public List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Each line's key-value pairs (the JSON fields of the production log), in the order logged. */
    public List<Map<String, Object>> fields() {
        return appender.list.stream()
                .map(event -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    if (event.getKeyValuePairs() != null) {
                        for (KeyValuePair pair : event.getKeyValuePairs()) {
                            fields.put(pair.key, pair.value);
                        }
                    }
                    return fields;
                })
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        logger.setAdditive(additive);
    }
}
