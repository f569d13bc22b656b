package org.spikeloop.server.session;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.DynamicCompositeAgent;
import org.agrona.concurrent.IdleStrategy;

/**
 * One thread hosting many small agents (every session's frame publisher, or every LSL source) in an
 * Agrona {@link DynamicCompositeAgent}, so a replica with many sessions does not run one
 * idle-polling thread per session per role. Added agents get {@code onStart} and removed ones
 * {@code onClose} on the pool's thread.
 *
 * <p>Threading: {@link #add}/{@link #remove} from control-plane threads (serialised here; they wait
 * until the pool's thread has taken the change, at most {@link #CHANGE_TIMEOUT_MS}).
 */
final class AgentPool implements AutoCloseable {
    static final long CHANGE_TIMEOUT_MS = 5_000;

    private final DynamicCompositeAgent composite;
    private final AgentRunner runner;

    AgentPool(String name, IdleStrategy idle, ErrorHandler errors, ThreadFactory threads) {
        composite = new DynamicCompositeAgent(name);
        runner = new AgentRunner(idle, errors, null, composite);
        AgentRunner.startOnThread(runner, threads);
        // The composite refuses changes until its thread has started it.
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHANGE_TIMEOUT_MS);
        while (composite.status() == DynamicCompositeAgent.Status.INIT) {
            waitOrFail(end, "start");
        }
    }

    synchronized void add(Agent agent) {
        requireActive("add " + agent.roleName());
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHANGE_TIMEOUT_MS);
        while (!composite.tryAdd(agent)) {
            waitOrFail(end, "add " + agent.roleName());
        }
        while (!composite.hasAddAgentCompleted()) {
            waitOrFail(end, "add " + agent.roleName());
        }
    }

    synchronized void remove(Agent agent) {
        requireActive("remove " + agent.roleName());
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHANGE_TIMEOUT_MS);
        while (!composite.tryRemove(agent)) {
            waitOrFail(end, "remove " + agent.roleName());
        }
        while (!composite.hasRemoveAgentCompleted()) {
            waitOrFail(end, "remove " + agent.roleName());
        }
    }

    private void waitOrFail(long endNs, String what) {
        if (runner.isClosed()
                || composite.status() == DynamicCompositeAgent.Status.CLOSED
                || System.nanoTime() > endNs) {
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE,
                    composite.roleName() + ": could not " + what + " (pool closed or busy)");
        }
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE, "interrupted during " + what);
        }
    }

    private void requireActive(String what) {
        if (runner.isClosed() || composite.status() != DynamicCompositeAgent.Status.ACTIVE) {
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE,
                    composite.roleName()
                            + ": could not "
                            + what
                            + " (pool "
                            + composite.status()
                            + ")");
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
