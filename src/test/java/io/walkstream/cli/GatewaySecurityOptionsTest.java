package io.walkstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walkstream.serve.GatewaySecurity;
import io.walkstream.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewaySecurityOptionsTest {
    static final String KEY = "k-0123456789abcdef";

    static GatewaySecurityOptions parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.security;
    }

    @Test
    void defaultsAreOpenWithLimits() throws Exception {
        GatewaySecurity s = parse().build(Map.of());
        assertThat(s.apiKeys().isEmpty()).isTrue();
        assertThat(s.tls()).isNull();
        assertThat(s.rateLimit().enabled()).isFalse();
        assertThat(s.maxHeaderBytes()).isEqualTo(GatewaySecurity.MAX_HEADER_BYTES);
        assertThat(s.readTimeoutMs()).isEqualTo(GatewaySecurity.READ_TIMEOUT_MS);
    }

    @Test
    void keysComeFromAFileAndTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "alice:" + KEY + "\n");
        GatewaySecurity s =
                parse("--api-keys-file", file.toString(), "--rate-limit", "2.5")
                        .build(Map.of("WALKSTREAM_API_KEYS", "bob:" + KEY + "-bob"));
        assertThat(s.apiKeys().clients()).containsExactly("alice", "bob");
        assertThat(s.apiKeys().authenticate("Bearer " + KEY + "-bob")).isEqualTo("bob");
        assertThat(s.rateLimit().perSecond()).isEqualTo(2.5);
        assertThat(s.rateLimit().burst()).isEqualTo(3); // a second's worth, rounded up

        GatewaySecurity other =
                parse("--api-keys-env", "MY_KEYS")
                        .build(Map.of("MY_KEYS", KEY, "WALKSTREAM_API_KEYS", "x:" + KEY + "x"));
        assertThat(other.apiKeys().size()).isEqualTo(1);
    }

    @Test
    void aKeystoreNeedsItsPasswordFromAFileOrTheEnvironment(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        String password = new String(certs.password());
        String p12 = certs.pkcs12().toString();
        assertThatThrownBy(() -> parse("--tls-keystore", p12).build(Map.of()))
                .hasMessageContaining("--tls-password-file")
                .hasMessageContaining("WALKSTREAM_TLS_PASSWORD");
        assertThat(
                        parse("--tls-keystore", p12)
                                .build(Map.of("WALKSTREAM_TLS_PASSWORD", password))
                                .tls())
                .isNotNull();
        Path pw = dir.resolve("pw");
        Files.writeString(pw, password + "\n");
        assertThat(
                        parse("--tls-keystore", p12, "--tls-password-file", pw.toString())
                                .build(Map.of())
                                .tls())
                .isNotNull();
        assertThat(
                        parse(
                                        "--tls-cert",
                                        certs.certPem().toString(),
                                        "--tls-key",
                                        certs.keyPem().toString())
                                .build(Map.of())
                                .tls())
                .isNotNull();
        assertThatThrownBy(() -> parse("--tls-cert", certs.certPem().toString()).build(Map.of()))
                .hasMessageContaining("go together");
    }
}
