package io.walkstream.eval;

/**
 * The best k item indices by (score descending, tie hash ascending) — the ranking every baseline
 * uses — kept in a bounded binary heap of primitives whose root is the worst kept item. Scores
 * compare by {@link Double#compare}, as a sort of the boxed scores would.
 */
final class TopK {
    private final int k;
    private final int[] heap;
    private final double[] heapScore;
    private final long[] ties;
    private int size;

    TopK(int k, long[] ties) {
        this.k = k;
        this.heap = new int[Math.max(1, k)];
        this.heapScore = new double[Math.max(1, k)];
        this.ties = ties;
    }

    /** Negative when (sa, a) ranks before (sb, b). */
    static int compare(double sa, long ta, double sb, long tb) {
        int c = Double.compare(sb, sa);
        return c != 0 ? c : Long.compare(ta, tb);
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** Offers an item with its score. */
    void offer(int item, double score) {
        if (k <= 0) {
            return;
        }
        if (size < k) {
            heap[size] = item;
            heapScore[size] = score;
            siftUp(size++);
        } else if (compare(score, ties[item], heapScore[0], ties[heap[0]]) < 0) {
            heap[0] = item;
            heapScore[0] = score;
            siftDown(0);
        }
    }

    /**
     * Whether an item of this score could still enter (the heap is not full, or it beats the worst
     * kept).
     */
    boolean wouldAccept(int item, double score) {
        return size < k || compare(score, ties[item], heapScore[0], ties[heap[0]]) < 0;
    }

    /** The kept items, best first; empties the heap. */
    int[] drainBestFirst() {
        int[] out = new int[size];
        for (int p = size - 1; p >= 0; p--) {
            out[p] = heap[0];
            size--;
            heap[0] = heap[size];
            heapScore[0] = heapScore[size];
            if (size > 0) {
                siftDown(0);
            }
        }
        return out;
    }

    /** Worse-first order on the heap: a parent ranks after its children. */
    private boolean worse(int x, int y) {
        return compare(heapScore[x], ties[heap[x]], heapScore[y], ties[heap[y]]) > 0;
    }

    private void siftUp(int p) {
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            if (!worse(p, parent)) {
                break;
            }
            swap(p, parent);
            p = parent;
        }
    }

    private void siftDown(int p) {
        while (true) {
            int l = 2 * p + 1, r = l + 1, w = p;
            if (l < size && worse(l, w)) {
                w = l;
            }
            if (r < size && worse(r, w)) {
                w = r;
            }
            if (w == p) {
                return;
            }
            swap(p, w);
            p = w;
        }
    }

    private void swap(int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
        double s = heapScore[a];
        heapScore[a] = heapScore[b];
        heapScore[b] = s;
    }
}
