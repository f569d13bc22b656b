package org.spikeloop.app.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap in use right after a garbage collection, for the memory target of issue 6 ("heap after GC
 * does not grow"). {@link #forceGcMib()} runs a full collection ({@code System.gc()}, a
 * stop-the-world pause: call it outside a measured window) and reads the heap; {@link
 * #lastAfterGcMib()} is passive: the heap pools' sizes after the most recent collection the JVM ran
 * by itself (young ones included), from the collectors' notifications.
 *
 * <p>Threading: the notification listener runs on a JMX thread; the reads from any thread.
 */
final class HeapAfterGc implements AutoCloseable {
    private static final double MIB = 1024.0 * 1024.0;

    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private volatile double lastAfterGcMib = Double.NaN;

    private HeapAfterGc() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
    }

    /** Listens to every collector from now on. */
    static HeapAfterGc start() {
        HeapAfterGc h = new HeapAfterGc();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(h.listener, null, null);
                h.emitters.add(e);
            }
        }
        return h;
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        lastAfterGcMib = used / MIB;
    }

    /** Runs a full GC and returns the heap in use after it (MiB). */
    double forceGcMib() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    }

    /** Heap in use after the JVM's most recent collection (MiB), NaN before the first. */
    double lastAfterGcMib() {
        return lastAfterGcMib;
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // never added to this emitter: nothing to remove
            }
        }
    }
}
