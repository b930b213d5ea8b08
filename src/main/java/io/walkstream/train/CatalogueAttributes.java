package io.walkstream.train;

import io.walkstream.gen.DatasetFormat;
import io.walkstream.gen.DatasetReplay;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Item attributes from a catalogue file next to an interaction log: MovieLens 100K {@code u.item}
 * (19 genre flags) and MovieLens 1M {@code movies.dat} ({@code Genre1|Genre2}), both ISO-8859-1,
 * plain or gzip. Items are named as the log readers name them ({@code i:<id>}); attributes as
 * {@code genre:<name>}. (Taobao's categories come with the log itself, as item metadata.)
 */
public final class CatalogueAttributes {
    /** The genre columns of u.item, in order (u.genre). */
    static final String[] ML100K_GENRES = {
        "unknown",
        "Action",
        "Adventure",
        "Animation",
        "Children's",
        "Comedy",
        "Crime",
        "Documentary",
        "Drama",
        "Fantasy",
        "Film-Noir",
        "Horror",
        "Musical",
        "Mystery",
        "Romance",
        "Sci-Fi",
        "Thriller",
        "War",
        "Western"
    };

    private CatalogueAttributes() {}

    /**
     * The catalogue that belongs to a log, found by its usual name in the log's folder; null when
     * there is none.
     */
    public static Path beside(Path log, DatasetFormat format) {
        Path dir = log.toAbsolutePath().getParent();
        String name =
                switch (format) {
                    case MOVIELENS -> "u.item";
                    case MOVIELENS1M -> "movies.dat";
                    default -> null;
                };
        if (name == null || dir == null) {
            return null;
        }
        for (String candidate : List.of(name, name + ".gz")) {
            Path p = dir.resolve(candidate);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Attributes by item id; lines that cannot be read are skipped and counted in {@code
     * skipped[0]}.
     */
    public static Map<String, List<String>> read(Path file, int[] skipped) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(
                                DatasetReplay.open(file), StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (line.contains("::")) {
                        String[] f = line.split("::");
                        List<String> genres = new ArrayList<>();
                        for (String g : f[2].trim().split("\\|")) {
                            if (!g.isBlank()) {
                                genres.add("genre:" + g.trim());
                            }
                        }
                        out.put("i:" + Integer.parseInt(f[0].trim()), genres);
                    } else {
                        String[] f = line.split("\\|", -1);
                        if (f.length < 5 + ML100K_GENRES.length) {
                            throw new IllegalArgumentException("too few fields");
                        }
                        List<String> genres = new ArrayList<>();
                        for (int g = 0; g < ML100K_GENRES.length; g++) {
                            if ("1".equals(f[f.length - ML100K_GENRES.length + g].trim())) {
                                genres.add("genre:" + ML100K_GENRES[g]);
                            }
                        }
                        out.put("i:" + Integer.parseInt(f[0].trim()), genres);
                    }
                } catch (RuntimeException e) {
                    skipped[0]++;
                }
            }
        }
        return out;
    }
}
