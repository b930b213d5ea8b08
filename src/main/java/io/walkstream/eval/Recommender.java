package io.walkstream.eval;

import java.util.List;

/** A method under evaluation: answers a test case with a ranked list of item ids. */
public interface Recommender {
    /** The method's label in reports. */
    String name();

    /**
     * Full ranking: the top {@code k} items, the user's training history excluded. Sampled: every
     * candidate, best first.
     */
    List<String> recommend(TestCase test, int k);
}
