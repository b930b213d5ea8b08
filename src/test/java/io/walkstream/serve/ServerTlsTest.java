package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walkstream.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
    @TempDir static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir);
    }

    @Test
    void pkcs12AndPemGiveTheSameIdentity() throws Exception {
        assertThat(servedCertificate(ServerTls.pkcs12(certs.pkcs12(), certs.password())))
                .isEqualTo(certs.certificate());
        assertThat(servedCertificate(ServerTls.pem(certs.certPem(), certs.keyPem())))
                .isEqualTo(certs.certificate());
        assertThat(ServerTls.pem(certs.certPem(), certs.keyPem()).sslContext().getProtocol())
                .isEqualTo("TLS");
    }

    private static X509Certificate servedCertificate(ServerTls tls) {
        X509KeyManager km = (X509KeyManager) tls.keyManagers()[0];
        String alias =
                km.chooseServerAlias(certs.certificate().getPublicKey().getAlgorithm(), null, null);
        assertThat(alias).isNotNull();
        assertThat(km.getPrivateKey(alias)).isNotNull();
        return km.getCertificateChain(alias)[0];
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword() {
        assertThatThrownBy(() -> ServerTls.pkcs12(certs.pkcs12(), "guessed-password".toCharArray()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("wrong password")
                .hasMessageNotContaining("guessed-password")
                .hasMessageNotContaining(new String(certs.password()));
    }

    @Test
    void otherKeyFormatsAreRefusedWithTheConversionToUse() throws Exception {
        Path pkcs1 = dir.resolve("rsa.key");
        Files.writeString(
                pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ServerTls.pem(certs.certPem(), pkcs1))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }
}
