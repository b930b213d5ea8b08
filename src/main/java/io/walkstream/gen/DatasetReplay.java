package io.walkstream.gen;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads a real interaction log (plain or gzip) into events in time order, ready to replay.
 *
 * <ul>
 *   <li>MovieLens: a rating of 3–5 becomes a {@code rate} edge weighted by the rating; 1–2 a {@code
 *       dislike} (negative feedback). Rows are not in time order in the file: they are sorted by
 *       time, ties broken by a hash of user and item (not by id, which correlates with popularity).
 *   <li>Taobao: pv → view, fav → like, cart → cart, buy → purchase; each item's category is
 *       announced once as item metadata before its first interaction.
 *   <li>CSV: {@code user,item,action,ts_ms} as given.
 * </ul>
 *
 * Lines that cannot be read are counted in {@link #skipped()} and described (the first {@value
 * #MAX_PROBLEMS}, with line numbers) in {@link #problems()}, not replayed.
 */
public final class DatasetReplay {
    static final int MAX_PROBLEMS = 20;
    private final List<Event> events;
    private final int skipped;
    private final List<String> problems;

    private DatasetReplay(List<Event> events, int skipped, List<String> problems) {
        this.events = events;
        this.skipped = skipped;
        this.problems = problems;
    }

    public static DatasetReplay read(Path file, DatasetFormat format) throws IOException {
        return read(file, format, RatingPolicy.LOW_IS_DISLIKE);
    }

    public static DatasetReplay read(Path file, DatasetFormat format, RatingPolicy ratings)
            throws IOException {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            return read(in, format, ratings);
        }
    }

    /** Reads every line of {@code in}; the caller closes it. */
    public static DatasetReplay read(BufferedReader in, DatasetFormat format, RatingPolicy ratings)
            throws IOException {
        List<Event> out = new ArrayList<>();
        int skipped = 0;
        List<String> problems = new ArrayList<>();
        Set<String> announced = new HashSet<>();
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                switch (format) {
                    case MOVIELENS -> out.add(movieLens(line.trim().split("\t"), ratings));
                    case MOVIELENS1M -> out.add(movieLens(line.trim().split("::"), ratings));
                    case TAOBAO -> taobao(line, out, announced);
                    case CSV -> {
                        if (out.isEmpty() && line.startsWith("user")) {
                            continue; // header
                        }
                        out.add(csv(line));
                    }
                }
            } catch (RuntimeException e) {
                skipped++;
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add("line " + lineNo + ": " + e + " in \"" + abbreviate(line) + "\"");
                }
            }
        }
        if (format.hasRatings() || format == DatasetFormat.CSV) {
            out.sort(
                    Comparator.comparingLong((Event e) -> e.ts)
                            .thenComparingInt(e -> (e.user + "|" + e.item).hashCode()));
        }
        return new DatasetReplay(out, skipped, List.copyOf(problems));
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    public List<Event> events() {
        return events;
    }

    public int skipped() {
        return skipped;
    }

    /** Why lines were skipped: the first {@value #MAX_PROBLEMS}, with line numbers. */
    public List<String> problems() {
        return problems;
    }

    private static Event movieLens(String[] f, RatingPolicy ratings) {
        if (f.length != 4) {
            throw new IllegalArgumentException(f.length + " fields, expected 4");
        }
        int rating = Integer.parseInt(f[2].trim());
        if (rating < 1 || rating > 5) {
            throw new IllegalArgumentException("rating " + rating + " outside 1..5");
        }
        long ts = Long.parseLong(f[3].trim()) * 1000;
        if (ts < 0) {
            throw new IllegalArgumentException("negative timestamp");
        }
        String user = "u:" + Integer.parseInt(f[0].trim()),
                item = "i:" + Integer.parseInt(f[1].trim());
        if (ratings == RatingPolicy.EVERY_RATING_IS_INTERACTION) {
            return Event.interaction(user, item, Action.RATE, ts, 1f);
        }
        return rating >= 3
                ? Event.interaction(user, item, Action.RATE, ts, rating)
                : Event.interaction(user, item, Action.DISLIKE, ts);
    }

    private static void taobao(String line, List<Event> out, Set<String> announced) {
        String[] f = line.split(",");
        String user = "u:" + Long.parseLong(f[0]), item = "i:" + Long.parseLong(f[1]);
        long ts = Long.parseLong(f[4].trim()) * 1000;
        Action a =
                switch (f[3].trim()) {
                    case "pv" -> Action.VIEW;
                    case "fav" -> Action.LIKE;
                    case "cart" -> Action.CART;
                    case "buy" -> Action.PURCHASE;
                    default -> throw new IllegalArgumentException("behavior " + f[3]);
                };
        if (announced.add(item)) {
            out.add(Event.item(item, "c" + Long.parseLong(f[2]), null, null, null, ts));
        }
        out.add(Event.interaction(user, item, a, ts));
    }

    private static Event csv(String line) {
        String[] f = line.split(",");
        Action a = Action.parse(f[2].trim());
        if (a == null || a == Action.FOLLOW) {
            throw new IllegalArgumentException("action " + f[2]);
        }
        return Event.interaction(f[0].trim(), f[1].trim(), a, Long.parseLong(f[3].trim()));
    }

    /** Opens a dataset file, gzip or plain (by magic number, not by file name). */
    public static InputStream open(Path file) throws IOException {
        return open(Files.newInputStream(file));
    }

    /** Opens a stream of a dataset file, gzip or plain (by magic number). */
    public static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read(), b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
