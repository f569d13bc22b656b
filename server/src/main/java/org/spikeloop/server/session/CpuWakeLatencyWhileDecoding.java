package org.spikeloop.server.session;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.server.os.CpuWakeLatency;

/**
 * Holds a CPU wake-up latency request ({@link CpuWakeLatency}, {@code engine.cpuWakeLatencyUs})
 * while at least one session runs, and withdraws it when the last one stops: idle CPUs then spin
 * only while an engine needs to wake within its step period. Says once, at the first session,
 * whether the OS took the request.
 *
 * <p>Threading: the session manager's control-plane threads; synchronised (sessions are created and
 * stopped on different threads).
 */
final class CpuWakeLatencyWhileDecoding implements SessionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CpuWakeLatencyWhileDecoding.class);

    private final int microseconds;
    private final IntFunction<CpuWakeLatency> requester;
    private final Set<String> running = new HashSet<>();
    private CpuWakeLatency request;
    private String lastRefusal;
    private boolean told;

    /**
     * @param microseconds the latency asked for (≥ 0)
     * @param requester makes the request ({@link CpuWakeLatency#request(int)})
     */
    CpuWakeLatencyWhileDecoding(int microseconds, IntFunction<CpuWakeLatency> requester) {
        this.microseconds = microseconds;
        this.requester = requester;
    }

    @Override
    public void created(Session session, String who) {
        started(session.id());
    }

    /** A session with this id runs: the first one makes the request. */
    synchronized void started(String sessionId) {
        if (running.add(sessionId) && running.size() == 1) {
            request = requester.apply(microseconds);
            lastRefusal = request.refusal();
            if (!told) {
                told = true;
                if (lastRefusal == null) {
                    LOG.info(
                            "CPU wake-up latency of {} us requested while sessions run ({})",
                            microseconds,
                            CpuWakeLatency.DEVICE);
                } else {
                    LOG.info(
                            "CPU wake-up latency not requested ({}): idle CPUs may wake late"
                                    + " (ops/README.md, \"Sizing\")",
                            lastRefusal);
                }
            }
        }
    }

    @Override
    public synchronized void stopped(String sessionId) {
        if (running.remove(sessionId) && running.isEmpty()) {
            withdraw();
        }
    }

    /** {@code held N us}, {@code refused: why} or {@code none} (no session runs). */
    synchronized String state() {
        if (request != null && request.held()) {
            return "held " + microseconds + " us";
        }
        return lastRefusal != null && !running.isEmpty() ? "refused: " + lastRefusal : "none";
    }

    @Override
    public synchronized void close() {
        running.clear();
        withdraw();
    }

    private void withdraw() {
        if (request == null) {
            return;
        }
        try {
            request.close();
        } catch (IOException e) {
            LOG.warn("withdrawing the CPU wake-up latency request failed: {}", e.toString());
        }
        request = null;
    }
}
