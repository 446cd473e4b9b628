package dev.teal.proxy.testing;

import dev.teal.config.TlsSettings;
import dev.teal.proxy.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Self-signed certificates written to files in the forms operators meet, and clients that trust them. */
public final class TestCertificates {
    /** How the private key is written. */
    public enum KeyFormat {
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY} */
        PKCS1,
        /** {@code BEGIN EC PRIVATE KEY}, with the curve's OID as its parameters (readers need them). */
        SEC1
    }

    /** A certificate on disk. */
    public record Written(SelfSignedCertificate certificate, Path cert, Path key) {
        public TlsSettings.CertificateFiles files() {
            return new TlsSettings.CertificateFiles(cert, key);
        }

        /** A client context that trusts this certificate only. */
        public SSLContext clientContext() {
            return trusting(this);
        }
    }

    private TestCertificates() {}

    public static Written write(Path dir, String stem, List<String> names) {
        return write(
                dir,
                stem,
                SelfSignedCertificate.generate(names, Duration.ofDays(30), SelfSignedCertificate.KeyType.EC),
                KeyFormat.PKCS8);
    }

    public static Written write(Path dir, String stem, SelfSignedCertificate certificate, KeyFormat format) {
        try {
            Files.createDirectories(dir);
            Path cert = dir.resolve(stem + ".crt");
            Path key = dir.resolve(stem + ".key");
            Files.writeString(cert, certificate.certificatePem(), StandardCharsets.US_ASCII);
            Files.writeString(key, keyPem(certificate, format), StandardCharsets.US_ASCII);
            return new Written(certificate, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String keyPem(SelfSignedCertificate certificate, KeyFormat format) throws IOException {
        return switch (format) {
            case PKCS8 -> certificate.pkcs8KeyPem();
            case PKCS1 ->
                pem(
                        "RSA PRIVATE KEY",
                        PrivateKeyInfo.getInstance(
                                        certificate.keyPair().getPrivate().getEncoded())
                                .parsePrivateKey()
                                .toASN1Primitive()
                                .getEncoded());
            case SEC1 -> {
                ECPrivateKey key = (ECPrivateKey) certificate.keyPair().getPrivate();
                SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(
                        certificate.keyPair().getPublic().getEncoded());
                BigInteger d = key.getS();
                ASN1Primitive sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                                256, d, publicKey.getPublicKeyData(), SECObjectIdentifiers.secp256r1)
                        .toASN1Primitive();
                yield pem("EC PRIVATE KEY", sec1.getEncoded());
            }
        };
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    /** A client context that trusts these certificates. */
    public static SSLContext trusting(Written... certificates) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                trust.setCertificateEntry("c" + i, certificates[i].certificate().certificate());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
