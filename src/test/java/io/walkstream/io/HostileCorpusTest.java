package io.walkstream.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.RankConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile corpus is what it claims: over 1,000 records, every one rejected by the parsers with
 * a reason.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class HostileCorpusTest {
    @Test
    void everyRecordOfTheCorpusIsRejectedWithAReasonNamingTheProblem() {
        List<HostileCorpus.Bad> corpus = HostileCorpus.generate();
        assertThat(corpus.size()).as("corpus size").isGreaterThanOrEqualTo(1000);
        int maxK = new RankConfig().maxK;
        List<String> accepted = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (HostileCorpus.Bad b : corpus) {
            Parsed<?> p =
                    switch (b.topic()) {
                        case 'i' -> JsonCodec.parseInteraction(b.value());
                        case 't' -> JsonCodec.parseItem(b.value());
                        default -> JsonCodec.parseRequest(b.value(), maxK);
                    };
            if (p.isOk()) {
                accepted.add(b.kind() + ": " + shortText(b.value()));
            } else {
                if (p.error().isBlank()
                        || !p.error().toLowerCase().contains(b.reasonContains().toLowerCase())) {
                    unexplained.add(b.kind() + ": " + shortText(b.value()) + " -> " + p.error());
                }
            }
        }
        assertThat(accepted).as("bad records the parsers accepted").isEmpty();
        assertThat(unexplained).as("rejections whose reason does not name the problem").isEmpty();
    }

    static String shortText(byte[] b) {
        if (b == null) {
            return "<null>";
        }
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 160 ? s.substring(0, 160) + "…(" + b.length + " bytes)" : s;
    }
}
