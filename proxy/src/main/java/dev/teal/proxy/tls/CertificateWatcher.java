package dev.teal.proxy.tls;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directories that hold the certificate and key files, not the files: a Kubernetes secret
 * volume replaces them by swapping a {@code ..data} symlink, and tools write a temporary file and rename
 * it, neither of which a watch on the file itself would see. A burst of events (cert and key written
 * one after the other) becomes one reload once the directory has been quiet for the debounce time. Runs
 * on a thread of its own, never on an event loop.
 */
final class CertificateWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateWatcher.class);

    private final WatchService service;
    private final Set<Path> watched = new HashSet<>();
    private final long debounceNanos;
    private final Runnable onChange;
    private final Thread thread;

    private CertificateWatcher(WatchService service, long debounceMillis, Runnable onChange) {
        this.service = service;
        this.debounceNanos = TimeUnit.MILLISECONDS.toNanos(debounceMillis);
        this.onChange = onChange;
        this.thread = new Thread(this::run, "teal-tls-watch");
        this.thread.setDaemon(true);
    }

    /** Starts watching these directories; {@code onChange} runs on the watcher's thread. */
    static CertificateWatcher start(Collection<Path> directories, long debounceMillis, Runnable onChange)
            throws IOException {
        CertificateWatcher watcher =
                new CertificateWatcher(FileSystems.getDefault().newWatchService(), debounceMillis, onChange);
        watcher.watch(directories);
        watcher.thread.start();
        return watcher;
    }

    /** Adds directories (a reload may name files elsewhere); those already watched stay. */
    synchronized void watch(Collection<Path> directories) throws IOException {
        for (Path dir : directories) {
            Path absolute = dir.toAbsolutePath().normalize();
            if (watched.add(absolute)) {
                absolute.register(
                        service,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                drain(service.take());
                // Wait for quiet: each further event within the debounce time restarts it.
                long quietUntil = System.nanoTime() + debounceNanos;
                for (long left = debounceNanos; left > 0; left = quietUntil - System.nanoTime()) {
                    WatchKey key = service.poll(left, TimeUnit.NANOSECONDS);
                    if (key != null) {
                        drain(key);
                        quietUntil = System.nanoTime() + debounceNanos;
                    }
                }
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    log.warn("certificate reload after a file change failed: {}", e.toString());
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: teal is stopping.
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            log.debug("closing the certificate watcher: {}", e.toString());
        }
        thread.interrupt();
    }
}
