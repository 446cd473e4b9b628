package dev.teal.config;

import com.typesafe.config.ConfigValue;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code teal.tls}: off while {@code listen} is empty, else a listener with at least one certificate. */
final class TlsSettingsReader {
    private static final String FILE = "a PEM file path such as /etc/teal/tls/tls.crt";

    /**
     * @param proxyListen the plain listener, or null when it was invalid
     * @param admin the admin settings, or null when they were invalid
     */
    Optional<TlsSettings> read(SettingsNode node, HostPort proxyListen, AdminSettings admin) {
        String listenText = node.text("listen", "host:port such as 0.0.0.0:8443, or \"\" for no TLS listener");
        Optional<Path> cert = file(node, "cert");
        Optional<Path> key = file(node, "key");
        List<TlsSettings.CertificateFiles> listed = certificates(node);
        List<String> protocols = names(node, "protocols", TlsSettings.PROTOCOLS, "[\"TLSv1.3\", \"TLSv1.2\"]");
        TlsSettings.Provider provider = node.oneOf("provider", TlsSettings.Provider.class);
        List<String> alpn = names(node, "alpn", Set.copyOf(TlsSettings.APPLICATION_PROTOCOLS), "[\"http/1.1\"]");
        Duration handshakeTimeout = node.positiveDuration("handshake-timeout");
        Boolean watch = node.bool("watch");
        if (listenText == null) {
            return null;
        }
        if (listenText.isEmpty()) {
            if (cert != null && key != null && (cert.isPresent() || key.isPresent())) {
                node.problem(
                        "listen",
                        "\"\"",
                        "host:port such as 0.0.0.0:8443, since tls.cert/tls.key are set (or remove them)");
            }
            return Optional.empty();
        }
        HostPort listen = node.hostPort("listen");
        if (listen != null && proxyListen != null && SettingsReader.clash(listen, proxyListen)) {
            node.problem("listen", "\"" + listen + "\"", "a port other than teal.listen's (" + proxyListen + ")");
        }
        if (listen != null && admin != null && SettingsReader.clash(listen, admin.listen())) {
            node.problem(
                    "listen", "\"" + listen + "\"", "a port other than teal.admin.listen's (" + admin.listen() + ")");
        }
        if (cert == null || key == null || listed == null) {
            return null;
        }
        List<TlsSettings.CertificateFiles> all = new ArrayList<>();
        if (cert.isPresent() != key.isPresent()) {
            node.problem(
                    cert.isPresent() ? "key" : "cert",
                    "\"\"",
                    "both cert and key, or neither (then certificates lists them)");
            return null;
        }
        cert.ifPresent(c -> all.add(new TlsSettings.CertificateFiles(c, key.get())));
        all.addAll(listed);
        if (all.isEmpty()) {
            node.problem(
                    "cert",
                    "\"\"",
                    "a certificate and its key (tls.cert and tls.key, or tls.certificates), since"
                            + " tls.listen is set");
            return null;
        }
        return Optional.ofNullable(
                node.build(() -> new TlsSettings(listen, all, protocols, provider, alpn, handshakeTimeout, watch)));
    }

    /** A file path, or empty for "". */
    private static Optional<Path> file(SettingsNode node, String key) {
        return node.parsed(
                key,
                text -> {
                    if (text.isEmpty()) {
                        return Optional.<Path>empty();
                    }
                    try {
                        return Optional.of(Path.of(text));
                    } catch (InvalidPathException e) {
                        throw new UnexpectedValueException(text, FILE + " (" + e.getReason() + ")");
                    }
                },
                FILE);
    }

    private static List<TlsSettings.CertificateFiles> certificates(SettingsNode node) {
        String expected = "a list of { cert = \"...crt\", key = \"...key\" }";
        List<ConfigValue> values = node.list("certificates", expected);
        if (values == null) {
            return null;
        }
        List<TlsSettings.CertificateFiles> files = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            SettingsNode element = SettingsNode.element(
                    values.get(i), node.path() + ".certificates[" + i + "]", node.problems(), expected);
            element.reportUnknown(List.of("cert", "key"));
            Optional<Path> cert = file(element, "cert");
            Optional<Path> key = file(element, "key");
            if (cert == null || key == null) {
                valid = false;
            } else if (cert.isEmpty() || key.isEmpty()) {
                element.problem(cert.isEmpty() ? "cert" : "key", "\"\"", FILE);
                valid = false;
            } else {
                files.add(new TlsSettings.CertificateFiles(cert.get(), key.get()));
            }
        }
        return valid ? files : null;
    }

    private static List<String> names(SettingsNode node, String key, Set<String> allowed, String example) {
        String expected = "a non-empty list of "
                + String.join(", ", allowed.stream().sorted().toList()) + ", such as " + example;
        List<ConfigValue> values = node.list(key, expected);
        if (values == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String text = SettingsNode.text(values.get(i));
            if (text == null || !allowed.contains(text) || names.contains(text)) {
                node.problem(key + "[" + i + "]", SettingsNode.shown(values.get(i)), expected + ", each once");
                return null;
            }
            names.add(text);
        }
        if (names.isEmpty()) {
            node.problem(key, "[]", expected);
            return null;
        }
        return names;
    }
}
