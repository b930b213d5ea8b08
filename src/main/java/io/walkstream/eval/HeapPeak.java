package io.walkstream.eval;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The JVM's peak heap use over a stretch of work (the evaluation job runs in this JVM): peak usage
 * of each heap pool, reset at the start, summed. Pools peak at different moments, so the sum is an
 * upper bound of the heap actually in use — including garbage not yet collected.
 */
public final class HeapPeak {
    private HeapPeak() {}

    public static HeapPeak start() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        return new HeapPeak();
    }

    public long peakMb() {
        long bytes = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                bytes += p.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }
}
