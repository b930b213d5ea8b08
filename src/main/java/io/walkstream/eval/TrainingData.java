package io.walkstream.eval;

import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The training interactions as a binary user × item matrix (sparse rows both ways): what the
 * baselines learn from, and what the metrics use for popularity and catalogue size. An interaction
 * repeated counts once.
 */
public final class TrainingData {
    private final Map<String, Integer> itemIndex = new LinkedHashMap<>();
    private final List<String> items = new ArrayList<>();
    private final Map<String, int[]> userItems = new HashMap<>();
    private final Map<String, Integer> userIndex = new LinkedHashMap<>();
    private final int[][] itemUsers;
    private final int[] itemDegree;
    private final int[][] userRows;

    public TrainingData(List<Event> train) {
        List<Set<Integer>> rows = new ArrayList<>();
        for (Event e : train) {
            if (!e.isPositive()) {
                continue;
            }
            int u =
                    userIndex.computeIfAbsent(
                            e.user,
                            x -> {
                                rows.add(new LinkedHashSet<>());
                                return rows.size() - 1;
                            });
            int i =
                    itemIndex.computeIfAbsent(
                            e.item,
                            x -> {
                                items.add(x);
                                return items.size() - 1;
                            });
            rows.get(u).add(i);
        }
        userRows = new int[rows.size()][];
        int[] degree = new int[items.size()];
        for (int u = 0; u < rows.size(); u++) {
            userRows[u] = rows.get(u).stream().mapToInt(Integer::intValue).toArray();
            for (int i : userRows[u]) {
                degree[i]++;
            }
        }
        for (Map.Entry<String, Integer> e : userIndex.entrySet()) {
            userItems.put(e.getKey(), userRows[e.getValue()]);
        }
        itemDegree = degree;
        itemUsers = new int[items.size()][];
        int[] fill = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            itemUsers[i] = new int[degree[i]];
        }
        for (int u = 0; u < userRows.length; u++) {
            for (int i : userRows[u]) {
                itemUsers[i][fill[i]++] = u;
            }
        }
    }

    public int itemCount() {
        return items.size();
    }

    public int userCount() {
        return userRows.length;
    }

    public String item(int index) {
        return items.get(index);
    }

    /** The item's index, or -1 if it has no training interaction. */
    public int indexOf(String item) {
        Integer i = itemIndex.get(item);
        return i == null ? -1 : i;
    }

    /** Distinct training users of the item (0 for an unknown item). */
    public int degree(String item) {
        int i = indexOf(item);
        return i < 0 ? 0 : itemDegree[i];
    }

    int degree(int item) {
        return itemDegree[item];
    }

    /** The user's distinct training items (indices); empty for an unknown user. */
    public int[] history(String user) {
        return userItems.getOrDefault(user, new int[0]);
    }

    int[] usersOf(int item) {
        return itemUsers[item];
    }

    int[] itemsOf(int userRow) {
        return userRows[userRow];
    }

    /** The user's row (0 … userCount − 1), or -1 for a user without training interactions. */
    int userRow(String user) {
        Integer r = userIndex.get(user);
        return r == null ? -1 : r;
    }

    private long[] ties;
    private int[] tieOrder;

    /**
     * Each item's tie-break hash ({@code StableHash.of(item, "", 1)}), computed once: baselines
     * rank equal scores by it (ascending), never by id order, which correlates with popularity.
     */
    long[] ties() {
        if (ties == null) {
            long[] t = new long[items.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = StableHash.of(items.get(i), "", 1);
            }
            ties = t;
        }
        return ties;
    }

    /**
     * Every item index ordered by its tie-break hash, ascending: the order of items that score the
     * same.
     */
    int[] tieOrder() {
        if (tieOrder == null) {
            long[] t = ties();
            tieOrder =
                    IntStream.range(0, t.length)
                            .boxed()
                            .sorted((a, b) -> Long.compare(t[a], t[b]))
                            .mapToInt(Integer::intValue)
                            .toArray();
        }
        return tieOrder;
    }
}
