package dev.teal.proxy.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificate chains and private keys from PEM files with Bouncy Castle's parser, which knows the
 * key forms operators meet: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1
 * ({@code EC PRIVATE KEY}). Every failure names the setting and the path.
 */
final class PemFiles {
    private static final String CHAIN = "a PEM certificate chain (-----BEGIN CERTIFICATE-----), leaf first";
    private static final String KEY = "an unencrypted PEM private key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA"
            + " PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY)";

    private PemFiles() {}

    static List<X509Certificate> chain(String setting, Path path) {
        List<Object> objects = read(setting, path, CHAIN);
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new InvalidCertificateException(
                            setting, path, "a certificate that cannot be decoded (" + e.getMessage() + ")", CHAIN);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new InvalidCertificateException(
                    setting,
                    path,
                    objects.isEmpty() ? "not PEM (no -----BEGIN ...----- block)" : "PEM without a certificate",
                    CHAIN);
        }
        return chain;
    }

    static PrivateKey key(String setting, Path path) {
        List<Object> objects = read(setting, path, KEY);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : objects) {
            try {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            } catch (IOException e) {
                throw new InvalidCertificateException(
                        setting, path, "a key that cannot be decoded (" + e.getMessage() + ")", KEY);
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new InvalidCertificateException(
                        setting, path, "an encrypted key (teal cannot ask for its passphrase)", KEY);
            }
        }
        throw new InvalidCertificateException(
                setting,
                path,
                objects.isEmpty() ? "not PEM (no -----BEGIN ...----- block)" : "PEM without a private key",
                KEY);
    }

    private static List<Object> read(String setting, Path path, String expected) {
        if (Files.isDirectory(path)) {
            throw new InvalidCertificateException(setting, path, "a directory", expected);
        }
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidCertificateException(setting, path, "no such file", expected);
        } catch (AccessDeniedException e) {
            throw new InvalidCertificateException(setting, path, "not readable (permission denied)", expected);
        } catch (IOException | RuntimeException e) {
            // Malformed base64 or DER inside a block, or bytes that are not ASCII text.
            throw new InvalidCertificateException(setting, path, "not valid PEM (" + e.getMessage() + ")", expected);
        }
        return objects;
    }
}
