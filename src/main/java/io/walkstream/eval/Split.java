package io.walkstream.eval;

import io.walkstream.model.Event;
import java.util.List;

/** Training events (time order, replayed through the job) and the test cases asked after them. */
public record Split(List<Event> train, List<TestCase> tests) {}
