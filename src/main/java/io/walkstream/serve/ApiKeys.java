package io.walkstream.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The API keys a gateway accepts, each with the name of the client it belongs to. Only SHA-256
 * hashes of the keys are kept. Entries are {@code key} or {@code client-name:key}, one per line (or
 * separated by commas, for an environment variable); blank entries and lines starting with {@code
 * #} are skipped. So a key cannot contain a comma, and one containing a colon must be given a name.
 * A client may have several keys, so a key can be rotated without downtime. A key without a name is
 * known by its fingerprint, {@code key-} and the first 8 hex digits of its hash.
 *
 * <p>Errors name the source and the entry's position, never its content: a mistyped line may hold a
 * real key.
 */
public final class ApiKeys {
    public static final ApiKeys NONE = new ApiKeys(List.of());

    /**
     * 16 characters of a random base64 or hex string is 64+ bits: not guessable over the network.
     */
    public static final int MIN_KEY_CHARS = 16;

    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Visible ASCII without spaces: what an {@code Authorization} header can carry verbatim. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]+");

    private static final String BEARER = "bearer ";

    private record Entry(String client, byte[] hash) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Keys from a file, one entry a line. */
    public static ApiKeys load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Keys from text (a file's content or an environment variable's value); {@code source} names it
     * in errors.
     */
    public static ApiKeys parse(String text, String source) {
        List<Entry> out = new ArrayList<>();
        String[] parts = text.split("[\\n,]", -1);
        for (int i = 0; i < parts.length; i++) {
            String entry = parts[i].strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String where = source + ", entry " + (i + 1);
            int colon = entry.indexOf(':');
            String key = colon < 0 ? entry : entry.substring(colon + 1).strip();
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(
                        where + ": a key is visible ASCII without spaces");
            }
            if (key.length() < MIN_KEY_CHARS) {
                throw new IllegalArgumentException(
                        where + ": key shorter than " + MIN_KEY_CHARS + " characters");
            }
            byte[] hash = sha256(key);
            String client =
                    colon < 0
                            ? "key-" + HexFormat.of().formatHex(hash, 0, 4)
                            : entry.substring(0, colon).strip();
            if (!CLIENT_NAME.matcher(client).matches()) {
                throw new IllegalArgumentException(
                        where + ": a client name is 1-64 of A-Z a-z 0-9 . _ -");
            }
            out.add(new Entry(client, hash));
        }
        return new ApiKeys(out);
    }

    /** Both sets of keys (e.g. a file's and an environment variable's). */
    public ApiKeys and(ApiKeys other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new ApiKeys(all);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    public Set<String> clients() {
        Set<String> names = new TreeSet<>();
        entries.forEach(e -> names.add(e.client()));
        return names;
    }

    /**
     * The client whose key an {@code Authorization: Bearer <key>} value carries, or null. Every
     * stored hash is compared, in constant time and without stopping at a match, so neither the
     * key's length nor its position in the list shows in the time taken.
     */
    public String authenticate(String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        String client = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), presented) && client == null) {
                client = e.client();
            }
        }
        return client;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "ApiKeys[%d keys, clients %s]", entries.size(), clients());
    }
}
