package io.walkstream.eval;

import io.walkstream.gen.DatasetFormat;
import io.walkstream.model.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test file for a pre-split evaluation: per line {@code user item} (full ranking) or {@code user
 * item neg1 neg2 …} (sampled ranking), whitespace or comma separated, ids as in the training log
 * (MovieLens and Taobao numeric ids get the readers' {@code u:}/{@code i:} prefixes). Every request
 * is asked at the last training timestamp, so it sees the whole training log.
 */
public final class PreSplitReader {
    private static final Logger LOG = LoggerFactory.getLogger(PreSplitReader.class);

    private PreSplitReader() {}

    public static List<TestCase> read(Path testFile, DatasetFormat format, List<Event> train)
            throws IOException {
        long ts = train.stream().mapToLong(e -> e.ts).max().orElse(0);
        boolean prefixed = format != DatasetFormat.CSV;
        List<TestCase> out = new ArrayList<>();
        int skipped = 0, lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(testFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("[\\s,]+");
                if (f.length < 2) {
                    skipped++;
                    LOG.warn(
                            "test file line {}: expected 'user item [negatives…]', got \"{}\"",
                            lineNo,
                            line);
                    continue;
                }
                String user = prefixed ? "u:" + f[0] : f[0];
                List<String> items =
                        Arrays.stream(f, 1, f.length).map(i -> prefixed ? "i:" + i : i).toList();
                out.add(new TestCase(user, ts, Set.of(items.get(0)), f.length > 2 ? items : null));
            }
        }
        if (skipped > 0) {
            LOG.warn("{} malformed test lines skipped", skipped);
        }
        return out;
    }
}
