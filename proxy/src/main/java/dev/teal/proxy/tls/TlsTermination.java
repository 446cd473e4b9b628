package dev.teal.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.teal.config.TlsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the TLS listener puts in front of each connection's HTTP pipeline: the plain-HTTP check, the
 * certificate chosen by SNI and the handshake's deadline and failure counts. Holds the certificates in
 * service, which a reload replaces.
 */
public final class TlsTermination {
    public static final String PLAIN_CHECK = "tls-plain-check";
    public static final String TLS = "tls";
    public static final String HANDSHAKE = "tls-handshake";

    private static final Logger log = LoggerFactory.getLogger(TlsTermination.class);
    /** A burst of file events (cert, then key, then a symlink swap) is one reload once quiet this long. */
    private static final long DEBOUNCE_MILLIS = 200;

    private final SslProvider provider;
    private final ServedCertificates certificates;
    private final TlsMeters meters;
    private volatile TlsSettings settings;
    private List<byte[]> loadedFiles; // guarded by this
    private CertificateWatcher watcher; // guarded by this

    private TlsTermination(TlsSettings settings, SslProvider provider, CertificateSet initial, TlsMeters meters) {
        this.settings = settings;
        this.provider = provider;
        this.certificates = new ServedCertificates(initial);
        this.meters = meters;
        this.loadedFiles = contents(settings);
        meters.inService(initial);
    }

    /**
     * Reads the certificates and builds their contexts.
     *
     * @throws InvalidCertificateException naming the first file that cannot serve, or a provider that
     *     cannot load
     */
    public static TlsTermination start(TlsSettings settings, MeterRegistry registry) {
        requireNonNull(settings, "settings");
        SslProvider provider = TlsProviders.choose(settings.provider());
        CertificateSet initial = CertificateSet.load(settings, provider, Instant.now());
        return new TlsTermination(settings, provider, initial, new TlsMeters(registry));
    }

    /**
     * Reads and checks the certificates without serving them ({@code teal check}).
     *
     * @return one line per certificate: its names and expiry
     * @throws InvalidCertificateException naming the first file that cannot serve
     */
    public static List<String> check(TlsSettings settings) {
        CertificateSet set = CertificateSet.load(settings, TlsProviders.choose(settings.provider()), Instant.now());
        return set.certificates().stream()
                .map(c -> c.certFile() + ": " + String.join(", ", c.names()) + ", valid until " + c.notAfter())
                .toList();
    }

    public void addTo(ChannelPipeline p) {
        p.addLast(PLAIN_CHECK, new PlainHttpOnTlsPort(meters));
        p.addLast(TLS, new CertificateSelector(certificates));
        p.addLast(HANDSHAKE, new TlsHandshakes(settings.handshakeTimeout().toMillis(), meters));
    }

    /**
     * Reads the certificates a reload names and builds their contexts, without serving them yet: a
     * reload checks every part before it applies any.
     *
     * @throws InvalidCertificateException naming the file that cannot serve (logged and counted as a
     *     refused reload; the certificates in service stay)
     */
    public synchronized CertificateSet prepare(TlsSettings next) {
        try {
            return CertificateSet.load(next, provider, Instant.now());
        } catch (InvalidCertificateException e) {
            meters.reloaded(false);
            log.warn("certificates not reloaded, the ones in service stay: {}", e.getMessage());
            throw e;
        }
    }

    /** Serves {@code prepared} to the handshakes that start from now on; open connections keep theirs. */
    public synchronized void install(TlsSettings next, CertificateSet prepared) {
        certificates.replace(prepared);
        settings = next;
        loadedFiles = contents(next);
        meters.reloaded(true);
        meters.inService(prepared);
        log.info("certificates reloaded: {}", describe(prepared));
        if (watcher != null) {
            try {
                watcher.watch(directories(next));
            } catch (IOException e) {
                log.warn("cannot watch the certificates' directories {}: {}", directories(next), e.toString());
            }
        }
    }

    /**
     * Reads the files again and serves them when they changed (a file event, SIGHUP or POST /reload with
     * unchanged settings).
     *
     * @return whether new certificates are in service
     * @throws InvalidCertificateException when a changed file cannot serve (the old ones stay)
     */
    public synchronized boolean reloadIfChanged() {
        TlsSettings current = settings;
        if (same(contents(current), loadedFiles)) {
            return false;
        }
        install(current, prepare(current));
        return true;
    }

    /** Watches the files' directories when {@code teal.tls.watch} is on; idempotent. */
    public synchronized void watch() {
        if (!settings.watch() || watcher != null) {
            return;
        }
        try {
            watcher = CertificateWatcher.start(directories(settings), DEBOUNCE_MILLIS, () -> {
                try {
                    reloadIfChanged();
                } catch (InvalidCertificateException e) {
                    // Logged and counted by prepare.
                }
            });
        } catch (IOException e) {
            log.warn(
                    "cannot watch the certificates' directories {} ({}): reload them with SIGHUP or POST /reload",
                    directories(settings),
                    e.toString());
        }
    }

    /** Stops watching. */
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** The certificates in service, for the start's log line. */
    public static String describeInService(TlsTermination tls) {
        return describe(tls.certificates());
    }

    static String describe(CertificateSet set) {
        return set.certificates().stream()
                .map(c -> c.label() + " until " + c.notAfter())
                .toList()
                .toString();
    }

    private static List<Path> directories(TlsSettings settings) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (TlsSettings.CertificateFiles f : settings.certificates()) {
            dirs.add(parent(f.cert()));
            dirs.add(parent(f.key()));
        }
        return List.copyOf(dirs);
    }

    private static Path parent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** The bytes of every file (through symlinks), null for one that cannot be read now. */
    private static List<byte[]> contents(TlsSettings settings) {
        List<byte[]> contents = new ArrayList<>();
        for (TlsSettings.CertificateFiles f : settings.certificates()) {
            contents.add(read(f.cert()));
            contents.add(read(f.key()));
        }
        return contents;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) == null || b.get(i) == null || !Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    public SslProvider provider() {
        return provider;
    }

    public CertificateSet certificates() {
        return certificates.current();
    }

    public TlsSettings settings() {
        return settings;
    }
}
