package io.walkstream.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The gateway's TLS identity: its certificate chain and private key, loaded once at start from a
 * PKCS12 keystore or from PEM files, and handed to both servers (Jetty takes an {@link SSLContext},
 * gRPC the {@link KeyManager}s). Passwords are only passed through, never kept or printed.
 */
public final class ServerTls {
    private static final Pattern PKCS8 =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /** The JDK's key factories for the key types a TLS server certificate uses. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private final KeyManagerFactory keyManagers;
    private final String description;

    private ServerTls(KeyManagerFactory keyManagers, String description) {
        this.keyManagers = keyManagers;
        this.description = description;
    }

    /**
     * A PKCS12 keystore (.p12/.pfx) holding one private key entry; its password also protects the
     * key.
     */
    public static ServerTls pkcs12(Path keystore, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        } catch (IOException e) {
            // The JDK reports a wrong password as an IOException whose cause is an
            // UnrecoverableKeyException.
            throw new IOException(
                    "cannot read keystore " + keystore + " (wrong password, or not PKCS12)", e);
        }
        return new ServerTls(factory(ks, password), "PKCS12 " + keystore);
    }

    /**
     * A PEM certificate file (the server's certificate first, then any intermediates) and an
     * unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}; {@code openssl pkcs8 -topk8
     * -nocrypt} converts others). Protect the key file by its permissions.
     */
    public static ServerTls pem(Path certificates, Path privateKey)
            throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificates)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certificates);
        }
        PrivateKey key = readPkcs8(privateKey);
        // An in-memory keystore: the one form both Jetty and gRPC's key managers start from.
        char[] transientPassword = new char[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("gateway", key, transientPassword, chain.toArray(Certificate[]::new));
        return new ServerTls(factory(ks, transientPassword), "PEM " + certificates);
    }

    private static PrivateKey readPkcs8(Path file) throws IOException, GeneralSecurityException {
        Matcher m = PKCS8.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new GeneralSecurityException(
                    file
                            + ": expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
                            + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        PKCS8EncodedKeySpec spec =
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException wrongType) {
                // try the next key type
            }
        }
        throw new GeneralSecurityException(file + ": not an RSA, EC or EdDSA private key");
    }

    private static KeyManagerFactory factory(KeyStore ks, char[] password)
            throws GeneralSecurityException {
        KeyManagerFactory f =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        f.init(ks, password);
        return f;
    }

    public KeyManager[] keyManagers() {
        return keyManagers.getKeyManagers();
    }

    /**
     * A fresh server context; TLS versions and cipher suites are the JDK's defaults (TLS 1.2 and
     * 1.3).
     */
    public SSLContext sslContext() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(), null, null);
        return ctx;
    }

    @Override
    public String toString() {
        return description;
    }
}
