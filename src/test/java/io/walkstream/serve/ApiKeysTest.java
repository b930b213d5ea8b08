package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    static final String ALICE_KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String BOB_KEY = "Zm9vYmFyYmF6cXV4cXV1eA==";
    static final String ANON_KEY = "0123456789abcdef0123";

    @Test
    void namedAndUnnamedKeysFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(
                file,
                """
                # production clients
                alice:%s

                bob : %s
                %s
                """
                        .formatted(ALICE_KEY, BOB_KEY, ANON_KEY));
        ApiKeys keys = ApiKeys.load(file);

        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.authenticate("Bearer " + ALICE_KEY)).isEqualTo("alice");
        assertThat(keys.authenticate("bearer " + BOB_KEY))
                .isEqualTo("bob"); // the scheme is case-insensitive
        assertThat(keys.authenticate("Bearer " + ANON_KEY)).matches("key-[0-9a-f]{8}");
        assertThat(keys.clients()).contains("alice", "bob").noneMatch(c -> c.contains(ANON_KEY));
    }

    @Test
    void anythingButAKnownBearerKeyIsRefused() {
        ApiKeys keys = ApiKeys.parse("alice:" + ALICE_KEY, "test");
        assertThat(keys.authenticate(null)).isNull();
        assertThat(keys.authenticate("")).isNull();
        assertThat(keys.authenticate("Bearer ")).isNull();
        assertThat(keys.authenticate(ALICE_KEY)).isNull(); // no scheme
        assertThat(keys.authenticate("Basic " + ALICE_KEY)).isNull(); // another scheme
        assertThat(keys.authenticate("Bearer " + ALICE_KEY + "x")).isNull(); // a longer key
        assertThat(keys.authenticate("Bearer " + ALICE_KEY.substring(1))).isNull();
        assertThat(keys.authenticate("Bearer alice:" + ALICE_KEY))
                .isNull(); // the file's syntax is not the key
    }

    @Test
    void anEnvironmentVariableSeparatesKeysWithCommas() {
        ApiKeys keys = ApiKeys.parse("alice:" + ALICE_KEY + "," + BOB_KEY, "$WALKSTREAM_API_KEYS");
        assertThat(keys.authenticate("Bearer " + ALICE_KEY)).isEqualTo("alice");
        assertThat(keys.authenticate("Bearer " + BOB_KEY)).startsWith("key-");
    }

    @Test
    void aClientMayHoldSeveralKeysForRotation() {
        ApiKeys keys =
                ApiKeys.parse("alice:" + ALICE_KEY + "\nalice:" + BOB_KEY, "test")
                        .and(ApiKeys.parse("carol:" + ANON_KEY, "env"));
        assertThat(keys.authenticate("Bearer " + ALICE_KEY)).isEqualTo("alice");
        assertThat(keys.authenticate("Bearer " + BOB_KEY)).isEqualTo("alice");
        assertThat(keys.authenticate("Bearer " + ANON_KEY)).isEqualTo("carol");
        assertThat(keys.clients()).containsExactly("alice", "carol");
    }

    @Test
    void badEntriesAreRejectedWithTheirPositionButNeverTheirContent() {
        String weak = "short-secret";
        assertThatThrownBy(() -> ApiKeys.parse("alice:" + ALICE_KEY + "\nbob:" + weak, "keys.txt"))
                .hasMessageContaining("keys.txt, entry 2")
                .hasMessageContaining("shorter than 16")
                .hasMessageNotContaining(weak);
        String spaced = "has a space in it and is long";
        assertThatThrownBy(() -> ApiKeys.parse("eve:" + spaced, "keys.txt"))
                .hasMessageContaining("entry 1")
                .hasMessageNotContaining("space in it");
        assertThatThrownBy(() -> ApiKeys.parse("bad name!:" + ALICE_KEY, "keys.txt"))
                .hasMessageContaining("client name")
                .hasMessageNotContaining(ALICE_KEY);
        assertThat(ApiKeys.parse("alice:" + ALICE_KEY, "t").toString()).doesNotContain(ALICE_KEY);
    }

    @Test
    void noKeysMeansEmpty() {
        assertThat(ApiKeys.parse("# none yet\n\n", "t").isEmpty()).isTrue();
        assertThat(ApiKeys.NONE.authenticate("Bearer " + ALICE_KEY)).isNull();
    }
}
