package dev.teal.admin;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes process signals to the launcher: {@code TERM} and {@code INT} (Ctrl-C) ask it to stop,
 * {@code HUP} to reload.
 *
 * <p>Handling {@code TERM} and {@code INT} ourselves replaces the JVM's default (run the shutdown
 * hooks, exit 143 or 130), so the launcher can drain and exit 0 on its own terms. The actions run on
 * the JVM's signal thread and must return quickly: they only tell the main thread what to do.
 * Closing restores the handlers that were there before.
 */
final class SignalHandlers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalHandlers.class);

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private SignalHandlers() {}

    static SignalHandlers install(Runnable stop, Runnable reload) {
        requireNonNull(stop, "stop");
        requireNonNull(reload, "reload");
        SignalHandlers handlers = new SignalHandlers();
        handlers.handle("TERM", stop);
        handlers.handle("INT", stop);
        handlers.handle("HUP", reload);
        return handlers;
    }

    private void handle(String name, Runnable action) {
        try {
            Signal signal = new Signal(name);
            SignalHandler before = Signal.handle(signal, received -> {
                log.info("SIG{} received", name);
                action.run();
            });
            previous.put(signal, before);
            if (before == SignalHandler.SIG_IGN) {
                // The JVM leaves a signal that the process inherited as ignored (nohup, a background
                // job of a script) ignored, and installs nothing.
                log.info("SIG{} is ignored by this process (inherited): not handled", name);
            }
        } catch (IllegalArgumentException e) {
            // The platform has no such signal (HUP on Windows), or the JVM keeps it (-Xrs, nohup's
            // ignored HUP): run without it rather than refuse to start.
            log.info("SIG{} not handled: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
