package io.walkstream.testing;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate for 127.0.0.1 and localhost signed by its own key (RSA 2048, valid one day), made
 * at run time: the gateway's and the test broker's server certificate, and — trusted as its own CA
 * — the clients' trust. Clients keep hostname verification on, so the names match the addresses
 * dialled. {@link #create} also writes it as a PKCS12 key store and as PEM files.
 *
 * @param pkcs12 the key store file ({@code null} unless made by {@link #create})
 * @param certPem the certificate as a PEM file ({@code null} unless made by {@link #create})
 * @param keyPem the private key as a PKCS#8 PEM file ({@code null} unless made by {@link #create})
 */
public record TestCertificates(
        X509Certificate certificate,
        PrivateKey privateKey,
        Path pkcs12,
        char[] password,
        Path certPem,
        Path keyPem) {
    private static final char[] PASSWORD = "test-keystore-password".toCharArray();

    /** The certificate and key in memory. */
    public static TestCertificates forLocalhost() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder =
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic());
        builder.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                        new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                        }));
        builder.addExtension(
                Extension.basicConstraints, true, new BasicConstraints(true)); // its own CA
        X509Certificate cert =
                new JcaX509CertificateConverter()
                        .getCertificate(
                                builder.build(
                                        new JcaContentSignerBuilder("SHA256withRSA")
                                                .build(keys.getPrivate())));
        return new TestCertificates(cert, keys.getPrivate(), null, PASSWORD, null, null);
    }

    /**
     * The certificate and key, also written to {@code dir}: gateway.p12, gateway.crt and
     * gateway.key.
     */
    public static TestCertificates create(Path dir) throws Exception {
        TestCertificates c = forLocalhost();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("gateway", c.privateKey, PASSWORD, new Certificate[] {c.certificate});
        Path p12 = dir.resolve("gateway.p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            ks.store(out, PASSWORD);
        }
        Path crt = Files.writeString(dir.resolve("gateway.crt"), c.certificatePem());
        Path key = Files.writeString(dir.resolve("gateway.key"), c.privateKeyPem());
        return new TestCertificates(c.certificate, c.privateKey, p12, PASSWORD, crt, key);
    }

    public String certificatePem() {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8, the form the JDK encodes and Kafka's PEM key store reads. */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /** A client context that trusts this certificate and nothing else. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", certificate);
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String pem(String type, byte[] der) {
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
