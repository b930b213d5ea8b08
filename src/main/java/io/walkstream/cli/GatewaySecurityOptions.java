package io.walkstream.cli;

import io.walkstream.serve.ApiKeys;
import io.walkstream.serve.GatewaySecurity;
import io.walkstream.serve.GatewaySecurity.RateLimit;
import io.walkstream.serve.ServerTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s protection options (a picocli mixin): API keys, TLS, rate limits, header size,
 * read timeout, connection cap. Secrets are read from files or environment variables, never from
 * the command line, where any user of the machine could read them in the process list.
 */
public class GatewaySecurityOptions {
    public static final String KEYS_ENV = "WALKSTREAM_API_KEYS";
    public static final String TLS_PASSWORD_ENV = "WALKSTREAM_TLS_PASSWORD";

    @Option(
            names = "--api-keys-file",
            paramLabel = "FILE",
            description =
                    "API keys, one per line: KEY or CLIENT-NAME:KEY (# comments). Calls then need 'Authorization: Bearer KEY'.")
    Path apiKeysFile;

    @Option(
            names = "--api-keys-env",
            paramLabel = "VAR",
            description =
                    "Environment variable with more keys, entries separated by commas or newlines (default ${DEFAULT-VALUE}; used when set).")
    String apiKeysEnv = KEYS_ENV;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description =
                    "PKCS12 keystore (.p12) with the server's certificate and key: serve HTTPS and gRPC over TLS.")
    Path tlsKeystore;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "PEM certificate chain (instead of --tls-keystore; needs --tls-key).")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "PEM private key, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
    Path tlsKey;

    @Option(
            names = "--tls-password-file",
            paramLabel = "FILE",
            description = "File holding the keystore password (one line).")
    Path tlsPasswordFile;

    @Option(
            names = "--tls-password-env",
            paramLabel = "VAR",
            description =
                    "Environment variable holding the keystore password when no file is given (default ${DEFAULT-VALUE}).")
    String tlsPasswordEnv = TLS_PASSWORD_ENV;

    @Option(
            names = "--rate-limit",
            paramLabel = "PER_SECOND",
            description =
                    "Calls per second per client (API key's client, or IP address without keys); 0 = off (default ${DEFAULT-VALUE}).")
    double ratePerSecond = 0;

    @Option(
            names = "--rate-burst",
            paramLabel = "N",
            description =
                    "Calls a client may make at once; 0 = one second's worth (default ${DEFAULT-VALUE}).")
    int rateBurst = 0;

    @Option(
            names = "--rate-limit-clients",
            paramLabel = "N",
            description =
                    "Clients tracked at once; idle ones are dropped first (default ${DEFAULT-VALUE}).")
    int rateLimitClients = RateLimit.MAX_CLIENTS;

    @Option(
            names = "--max-header-bytes",
            description =
                    "Largest request line + headers / gRPC metadata; 431 beyond (default ${DEFAULT-VALUE}).")
    int maxHeaderBytes = GatewaySecurity.MAX_HEADER_BYTES;

    @Option(
            names = "--read-timeout-ms",
            description =
                    "A connection silent this long while a request is read is closed (default ${DEFAULT-VALUE}).")
    long readTimeoutMs = GatewaySecurity.READ_TIMEOUT_MS;

    @Option(
            names = "--max-connections",
            description = "Open HTTP connections at most (default ${DEFAULT-VALUE}).")
    int maxConnections = GatewaySecurity.MAX_CONNECTIONS;

    /**
     * The protection these options describe; {@code env} is the process environment (a parameter,
     * for tests).
     */
    public GatewaySecurity build(Map<String, String> env)
            throws IOException, GeneralSecurityException {
        ApiKeys keys = apiKeysFile == null ? ApiKeys.NONE : ApiKeys.load(apiKeysFile);
        String fromEnv = apiKeysEnv == null ? null : env.get(apiKeysEnv);
        if (fromEnv != null && !fromEnv.isBlank()) {
            keys = keys.and(ApiKeys.parse(fromEnv, "$" + apiKeysEnv));
        }
        int burst = rateBurst > 0 ? rateBurst : (int) Math.max(1, Math.ceil(ratePerSecond));
        return new GatewaySecurity(
                keys,
                tls(env),
                new RateLimit(ratePerSecond, burst, rateLimitClients),
                maxHeaderBytes,
                readTimeoutMs,
                maxConnections);
    }

    private ServerTls tls(Map<String, String> env) throws IOException, GeneralSecurityException {
        if (tlsKeystore != null && (tlsCert != null || tlsKey != null)) {
            throw new IllegalArgumentException("--tls-keystore or --tls-cert/--tls-key, not both");
        }
        if (tlsKeystore != null) {
            char[] password = password(env);
            try {
                return ServerTls.pkcs12(tlsKeystore, password);
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        if (tlsCert == null && tlsKey == null) {
            return null;
        }
        if (tlsCert == null || tlsKey == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        return ServerTls.pem(tlsCert, tlsKey);
    }

    private char[] password(Map<String, String> env) throws IOException {
        if (tlsPasswordFile != null) {
            // The file's one line; editors add a final newline that is not part of the password.
            return Files.readString(tlsPasswordFile, StandardCharsets.UTF_8)
                    .replaceAll("\\R+$", "")
                    .toCharArray();
        }
        String p = tlsPasswordEnv == null ? null : env.get(tlsPasswordEnv);
        if (p == null) {
            throw new IllegalArgumentException(
                    "--tls-keystore needs its password: --tls-password-file FILE, or the "
                            + tlsPasswordEnv
                            + " environment variable");
        }
        return p.toCharArray();
    }
}
