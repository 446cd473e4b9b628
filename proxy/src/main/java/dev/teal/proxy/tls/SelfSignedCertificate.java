package dev.teal.proxy.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate made with Bouncy Castle, for {@code teal demo --tls} and the tests: the names
 * go into the subject alternative names (the first also into the common name), the key is written as
 * PKCS#8.
 *
 * @param keyPair the key pair
 * @param certificate the certificate, signed by its own key
 */
public record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {
    /** Key types: RSA 2048 or EC P-256. */
    public enum KeyType {
        RSA,
        EC
    }

    /** A certificate valid from an hour ago for {@code validity}, for these DNS names. */
    public static SelfSignedCertificate generate(List<String> names, Duration validity, KeyType type) {
        Instant now = Instant.now();
        return generate(names, now.minus(Duration.ofHours(1)), now.plus(validity), type);
    }

    public static SelfSignedCertificate generate(
            List<String> names, Instant notBefore, Instant notAfter, KeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.name());
            if (type == KeyType.EC) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + names.get(0));
            GeneralName[] alternatives = names.stream()
                    .map(n -> new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            new BigInteger(64, new SecureRandom()),
                            Date.from(notBefore),
                            Date.from(notAfter),
                            subject,
                            pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            String algorithm = type == KeyType.EC ? "SHA256withECDSA" : "SHA256withRSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
            return new SelfSignedCertificate(pair, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** The certificate as PEM. */
    public String certificatePem() {
        return pem(certificate);
    }

    /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public String pkcs8KeyPem() {
        try {
            return pem(new JcaPKCS8Generator(keyPair.getPrivate(), null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the certificate and the PKCS#8 key, the key readable by its owner only. */
    public void write(Path cert, Path key) throws IOException {
        Files.writeString(cert, certificatePem(), StandardCharsets.US_ASCII);
        Path partial = key.resolveSibling(key.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, ownerOnly());
        Files.writeString(partial, pkcs8KeyPem(), StandardCharsets.US_ASCII);
        Files.move(partial, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        try {
            return new java.nio.file.attribute.FileAttribute<?>[] {
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
            };
        } catch (UnsupportedOperationException e) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
