package dev.teal.proxy.tls;

import dev.teal.config.TlsSettings.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * One certificate chain and its key as read from their files and checked: the key signs what the
 * certificate's public key verifies, and the leaf has not expired.
 *
 * @param files where it was read from
 * @param chain leaf first
 * @param key the leaf's private key
 * @param names the DNS names SNI chooses it by (subject alternative names, else the common name), lower case
 * @param notAfter when the leaf expires
 */
public record ServerCertificate(
        CertificateFiles files, List<X509Certificate> chain, PrivateKey key, List<String> names, Instant notAfter) {
    private static final int DNS_NAME = 2;

    public ServerCertificate {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /**
     * Reads and checks one certificate.
     *
     * @param setting the setting that names the files, for messages ({@code teal.tls.cert})
     * @param now the time the certificate must be valid at
     * @throws InvalidCertificateException naming the file and what is wrong
     */
    static ServerCertificate read(String setting, String keySetting, CertificateFiles files, Instant now) {
        List<X509Certificate> chain = PemFiles.chain(setting, files.cert());
        PrivateKey key = PemFiles.key(keySetting, files.key());
        X509Certificate leaf = chain.get(0);
        if (!matches(key, leaf.getPublicKey())) {
            throw new InvalidCertificateException(
                    keySetting,
                    files.key(),
                    "a key that does not match the certificate in " + files.cert() + " ("
                            + leaf.getSubjectX500Principal().getName() + ")",
                    "the private key of that certificate");
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (!notAfter.isAfter(now)) {
            throw new InvalidCertificateException(
                    setting,
                    files.cert(),
                    "a certificate that expired at " + notAfter + " ("
                            + leaf.getSubjectX500Principal().getName() + ")",
                    "a certificate valid now");
        }
        List<String> names = names(leaf, setting, files.cert());
        return new ServerCertificate(files, chain, key, names, notAfter);
    }

    /** The name this certificate is known by in metrics and logs: its first DNS name, else its file. */
    public String label() {
        return names.isEmpty() ? files.cert().getFileName().toString() : names.get(0);
    }

    public Path certFile() {
        return files.cert();
    }

    /** Whether the key is the certificate's: it signs a challenge the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm =
                switch (publicKey.getAlgorithm().toUpperCase(Locale.ROOT)) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC", "ECDSA" -> "SHA256withECDSA";
                    case "ED25519", "ED448", "EDDSA" -> publicKey.getAlgorithm();
                    // Another algorithm: the TLS stack checks the pair when its context is built.
                    default -> null;
                };
        if (algorithm == null) {
            return true;
        }
        byte[] challenge = "teal key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key of another algorithm than the certificate's cannot even start signing for it.
            return false;
        }
    }

    private static List<String> names(X509Certificate leaf, String setting, Path file) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() >= 2 && Integer.valueOf(DNS_NAME).equals(entry.get(0))) {
                        names.add(entry.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new InvalidCertificateException(
                    setting,
                    file,
                    "unreadable subject alternative names (" + e.getMessage() + ")",
                    "an X.509 certificate");
        }
        if (names.isEmpty()) {
            X500Name subject =
                    X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
                names.add(IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
