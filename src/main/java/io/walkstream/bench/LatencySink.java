package io.walkstream.bench;

import io.walkstream.model.Recommendation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** The benchmark's result sink: records every answer in the driver's {@link AnswerLog}. */
public final class LatencySink implements Sink<Recommendation> {
    @Override
    public SinkWriter<Recommendation> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Recommendation r, Context ctx) {
                BenchLocal.answers.record(r, System.currentTimeMillis());
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
