package io.walkstream.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap after garbage collection, without forcing any collection (a {@code System.gc()} would
 * stop the job for a full collection and show up in the latencies being measured).
 *
 * <p>The figure is the old generation's {@link MemoryPoolMXBean#getCollectionUsage()}: what the old
 * generation held after the last collection that collected it (G1: a mixed or a full collection;
 * young collections only promote into it and leave the figure alone). That is the live set plus the
 * garbage the collector chose to leave (G1 stops mixed collections when less than 5% of the heap is
 * reclaimable), so it is a step function refreshed by each old-generation collection. GC
 * notifications count those collections per interval (a collection after which the figure changed),
 * so a reader can tell a flat line from a stale one, and give the lowest heap in use after any
 * collection in the interval and the time spent collecting.
 */
final class GcWatch implements AutoCloseable {
    /** What happened since the last {@link #interval()}. */
    record Interval(int collections, int oldCollections, long heapFloorBytes, long gcMillis) {}

    private final MemoryPoolMXBean oldGen = oldGeneration();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::handle;
    private int collections;
    private int oldCollections;
    private int oldCollectionsTotal;
    private long heapFloor = Long.MAX_VALUE;
    private long gcMillis;
    private long lastCollectionUsage;

    GcWatch() {
        MemoryUsage cu = oldGen == null ? null : oldGen.getCollectionUsage();
        lastCollectionUsage = cu == null ? 0 : cu.getUsed();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    /**
     * The old generation's pool: G1 Old Gen, PS Old Gen, Tenured Gen, …; else the largest heap
     * pool.
     */
    private static MemoryPoolMXBean oldGeneration() {
        List<MemoryPoolMXBean> heap =
                ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(
                                p ->
                                        p.getType() == MemoryType.HEAP
                                                && p.isCollectionUsageThresholdSupported())
                        .toList();
        return heap.stream()
                .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                .findFirst()
                .orElseGet(
                        () ->
                                heap.stream()
                                        .max(Comparator.comparingLong(p -> p.getUsage().getMax()))
                                        .orElse(null));
    }

    String oldGenerationName() {
        return oldGen == null ? "none" : oldGen.getName();
    }

    private void handle(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
        long heapAfter = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = after.get(p.getName());
            if (p.getType() == MemoryType.HEAP && u != null) {
                heapAfter += u.getUsed();
            }
        }
        // An old-generation collection is one that refreshed the pool's collection usage (a young
        // collection that merely frees a humongous object also shrinks the old generation, but does
        // not).
        MemoryUsage cu = oldGen == null ? null : oldGen.getCollectionUsage();
        synchronized (this) {
            boolean old = cu != null && cu.getUsed() > 0 && cu.getUsed() != lastCollectionUsage;
            if (cu != null) {
                lastCollectionUsage = cu.getUsed();
            }
            collections++;
            if (old) {
                oldCollections++;
                oldCollectionsTotal++;
            }
            heapFloor = Math.min(heapFloor, heapAfter);
            gcMillis += info.getGcInfo().getDuration();
        }
    }

    /** The old generation in use after its last collection, bytes; -1 before its first. */
    long oldGenAfterGc() {
        if (oldGen == null || oldCollectionsTotalSoFar() == 0) {
            return -1;
        }
        MemoryUsage u = oldGen.getCollectionUsage();
        return u == null ? -1 : u.getUsed();
    }

    private synchronized int oldCollectionsTotalSoFar() {
        return oldCollectionsTotal;
    }

    /**
     * Collections since the previous call, and the lowest heap in use after one of them (-1: none).
     */
    synchronized Interval interval() {
        Interval i =
                new Interval(
                        collections,
                        oldCollections,
                        heapFloor == Long.MAX_VALUE ? -1 : heapFloor,
                        gcMillis);
        collections = 0;
        oldCollections = 0;
        heapFloor = Long.MAX_VALUE;
        gcMillis = 0;
        return i;
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
    }
}
