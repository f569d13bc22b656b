package org.spikeloop.server.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.EngineAgent;

/**
 * Admission control by resources: a session is created only if what it is expected to need (its
 * {@link SessionFootprint}) fits the server's budgets beside the sessions already running.
 *
 * <ul>
 *   <li><b>Memory</b>: the footprints of all sessions together stay within {@code
 *       admission.heapFraction} of the JVM's maximum heap ({@code -Xmx}); the rest is left to gRPC
 *       buffers, recordings' queues, jobs and the JVM itself.
 *   <li><b>CPU</b>: on the engine thread a session would join, the sessions' step time per step
 *       period — measured for sessions that have stepped ({@link Session#demandNs}), estimated for
 *       the others and for the new one — stays within {@code admission.engineCpuFraction} of that
 *       thread's time. A session is given the first engine thread (fewest sessions first) where it
 *       fits.
 * </ul>
 *
 * A refusal is RESOURCE_EXHAUSTED naming the budget, what the session needs, what is in use and by
 * how much it is over; each is counted by budget ({@link #refusals}).
 *
 * <p>Threading: called under {@link SessionManager}'s creation lock; the counters are read from any
 * thread.
 */
final class Admission {
    /** Budgets a refusal can name. */
    enum Budget {
        SESSIONS,
        MEMORY,
        CPU
    }

    private final ServerConfig config;
    private final long maxHeapBytes;
    private final AtomicLong[] refusals = new AtomicLong[Budget.values().length];

    /**
     * @param maxHeapBytes the heap the budget is a share of ({@code Runtime.maxMemory()})
     */
    Admission(ServerConfig config, long maxHeapBytes) {
        this.config = config;
        this.maxHeapBytes = maxHeapBytes;
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new AtomicLong();
        }
    }

    /** The memory budget in bytes: {@code admission.heapFraction} of the maximum heap. */
    long memoryBudgetBytes() {
        return (long) (config.admission().heapFraction() * maxHeapBytes);
    }

    /** Bytes the running sessions' footprints take together. */
    static long committedBytes(Collection<Session> running) {
        long sum = 0;
        for (Session s : running) {
            sum += s.footprint().totalBytes();
        }
        return sum;
    }

    /** Refusals so far for {@code budget}. */
    long refusals(Budget budget) {
        return refusals[budget.ordinal()].get();
    }

    /** Refuses at {@code limits.maxSessions}. */
    void checkSessionCount(int running) {
        if (running >= config.maxSessions()) {
            throw refuse(
                    Budget.SESSIONS,
                    "limits.maxSessions = "
                            + config.maxSessions()
                            + " sessions are running; stop one first");
        }
    }

    /**
     * Refuses a session whose memory does not fit beside the running ones.
     *
     * @throws ServerException RESOURCE_EXHAUSTED naming the memory budget and the excess
     */
    void checkMemory(SessionFootprint fp, Collection<Session> running) {
        long budget = memoryBudgetBytes();
        long committed = committedBytes(running);
        long need = fp.totalBytes();
        if (committed + need > budget) {
            throw refuse(
                    Budget.MEMORY,
                    String.format(
                            Locale.ROOT,
                            "admission: memory: the session needs %s; %s of the %s budget"
                                    + " (admission.heapFraction = %s of a %s maximum heap) is held"
                                    + " by %d running session(s): over by %s",
                            fp.describeMemory(EngineAgent.ROLLBACK_DEPTH),
                            SessionFootprint.bytes(committed),
                            SessionFootprint.bytes(budget),
                            config.admission().heapFraction(),
                            SessionFootprint.bytes(maxHeapBytes),
                            running.size(),
                            SessionFootprint.bytes(committed + need - budget)));
        }
    }

    /**
     * The engine thread the session goes to: the first, by fewest sessions then thread order, on
     * which its step time fits beside the others'.
     *
     * @param engines the live engine threads
     * @throws ServerException RESOURCE_EXHAUSTED naming the CPU budget and the excess on the least
     *     loaded thread
     */
    AgentPool chooseEngine(
            SessionFootprint fp, List<AgentPool> engines, Collection<Session> running) {
        List<AgentPool> order = new ArrayList<>(engines);
        order.sort(Comparator.comparingInt(p -> sessionsOn(p, running)));
        double budget = config.admission().engineCpuFraction();
        AgentPool leastLoaded = null;
        double leastLoad = Double.MAX_VALUE;
        for (AgentPool p : order) {
            double load = load(p, running);
            if (load + fp.cpuShare() <= budget) {
                return p;
            }
            if (load < leastLoad) {
                leastLoad = load;
                leastLoaded = p;
            }
        }
        throw refuse(
                Budget.CPU,
                String.format(
                        Locale.ROOT,
                        "admission: cpu: the session needs about %.1f µs per %.1f µs step (%.1f %%"
                                + " of an engine thread; %d synapses at admission.stepNsPerSynapse"
                                + " = %s ns); the least loaded engine thread (%s) is at %.1f %% of"
                                + " its time, and admission.engineCpuFraction = %.0f %%: over by"
                                + " %.1f %%",
                        fp.stepNs() / 1e3,
                        fp.periodNs() / 1e3,
                        100 * fp.cpuShare(),
                        fp.synapses(),
                        config.admission().stepNsPerSynapse(),
                        leastLoaded == null ? "none" : leastLoaded.name(),
                        100 * leastLoad,
                        100 * budget,
                        100 * (leastLoad + fp.cpuShare() - budget)));
    }

    /** The share of {@code pool}'s time its sessions' steps take (each at its own rate). */
    static double load(AgentPool pool, Collection<Session> running) {
        double sum = 0;
        for (Session s : running) {
            if (s.enginePool() == pool) {
                sum += s.demandNs() / s.footprint().periodNs();
            }
        }
        return sum;
    }

    private static int sessionsOn(AgentPool pool, Collection<Session> running) {
        int n = 0;
        for (Session s : running) {
            if (s.enginePool() == pool) {
                n++;
            }
        }
        return n;
    }

    private ServerException refuse(Budget budget, String message) {
        refusals[budget.ordinal()].incrementAndGet();
        return new ServerException(ServerException.Kind.RESOURCE_EXHAUSTED, message);
    }
}
