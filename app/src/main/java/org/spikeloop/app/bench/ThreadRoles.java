package org.spikeloop.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each thread of the process allocates and computes, grouped by its role, read from the JVM's
 * per-thread counters ({@code ThreadMXBean}: bytes allocated on the heap and CPU time). A role is
 * told by the thread's name prefix ({@link #role}); {@link #snapshot} reads every live thread, and
 * the difference of two snapshots ({@link Snapshot#since}) is what happened in between (a thread
 * that ended in between loses its share).
 *
 * <p>Threading: any thread; a snapshot allocates (control plane of the benchmark).
 */
final class ThreadRoles {
    /** Role names, in report order. */
    static final List<String> ROLES =
            List.of(
                    "engine",
                    "delivery",
                    "lsl",
                    "recording",
                    "metrics",
                    "control",
                    "jvm",
                    "other",
                    "bench");

    /**
     * Thread-name prefixes and their roles, first match wins. The server's own threads are named by
     * role (AgentPool threads after their pool, the recorder, the metrics endpoint); gRPC's and
     * Netty's by their library (the worker event loops write the watchers' frames); the JVM's by
     * the JVM. The benchmark's own threads (rigs, probe, watcher, JFR stream, main) are "bench",
     * left out of the server's total.
     */
    private static final String[][] PREFIXES = {
        {"spikeloop-engines-", "engine"},
        {"spikeloop-delivery", "delivery"},
        {"spikeloop-publishers", "delivery"},
        {"grpc-default-worker-", "delivery"},
        {"grpc-nio-worker-", "delivery"},
        {"spikeloop-grpc-io", "delivery"}, // the server's gRPC event loops: they write the frames
        {"spikeloop-publisher-", "delivery"},
        {"spikeloop-decisions-", "delivery"},
        {"spikeloop-lsl-", "lsl"},
        {"spikeloop-label-", "lsl"},
        {"spikeloop-recorder-", "recording"},
        {"spikeloop-trial-recorder-", "recording"},
        {"xdf-recorder", "recording"},
        {"spikeloop-metrics", "metrics"},
        {"spikeloop-http", "metrics"}, // the HTTP listener: /metrics and the status page
        {"spikeloop-page", "metrics"}, // the status page's once-a-second status
        {"bench-", "bench"}, // the harness's page clients and its Prometheus stand-in
        {"grpc-default-executor", "control"},
        {"grpc-default-boss", "control"},
        {"spikeloop-control", "control"},
        {"spikeloop-govern", "control"},
        {"spikeloop-job", "control"},
        {"spikeloop-agent", "control"},
        {"spikeloop-grpc-boss", "control"},
        {"spikeloop-rpc-", "control"}, // the call handlers (gRPC ingest's too)
        {"spikeloop-engine-monitor", "control"},
        {"spikeloop-session-builder", "control"},
        {"spikeloop-refusal-audit", "control"},
        {"spikeloop-registry", "control"},
        {"C1 CompilerThread", "jvm"},
        {"C2 CompilerThread", "jvm"},
        {"Common-Cleaner", "jvm"},
        {"JNA Cleaner", "jvm"},
        {"Reference Handler", "jvm"},
        {"Finalizer", "jvm"},
        {"Signal Dispatcher", "jvm"},
        {"Notification Thread", "jvm"},
        {"Service Thread", "jvm"},
        {"Attach Listener", "jvm"},
        {"process reaper", "bench"},
        {"e2e-", "bench"},
        {"JFR", "bench"},
        {"main", "bench"},
    };

    private ThreadRoles() {}

    /** The role of a thread by its name ("other" when no prefix matches). */
    static String role(String threadName) {
        for (String[] p : PREFIXES) {
            if (threadName.startsWith(p[0])) {
                return p[1];
            }
        }
        return "other";
    }

    /** Per-thread counters at one moment. */
    record Snapshot(Map<Long, String> names, Map<Long, Long> bytes, Map<Long, Long> cpuNs) {
        /**
         * Bytes allocated per role between {@code earlier} and this snapshot (threads alive at
         * both).
         */
        Map<String, Long> bytesSince(Snapshot earlier) {
            return bySince(bytes, earlier.bytes);
        }

        /** CPU ns per role between {@code earlier} and this snapshot. */
        Map<String, Long> cpuNsSince(Snapshot earlier) {
            return bySince(cpuNs, earlier.cpuNs);
        }

        private Map<String, Long> bySince(Map<Long, Long> now, Map<Long, Long> before) {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String r : ROLES) {
                out.put(r, 0L);
            }
            for (Map.Entry<Long, Long> e : now.entrySet()) {
                Long b = before.get(e.getKey());
                if (b != null && e.getValue() >= 0 && b >= 0) {
                    out.merge(role(names.get(e.getKey())), e.getValue() - b, Long::sum);
                }
            }
            return out;
        }
    }

    /** Reads every live thread's allocated bytes and CPU time. */
    static Snapshot snapshot() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> bytes = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long id = t.getThreadId();
            names.put(id, t.getThreadName());
            bytes.put(id, threads.getThreadAllocatedBytes(id));
            cpu.put(id, threads.getThreadCpuTime(id));
        }
        return new Snapshot(names, bytes, cpu);
    }
}
