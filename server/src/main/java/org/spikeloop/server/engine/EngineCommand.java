package org.spikeloop.server.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A control-plane request run on the engine thread between steps (the only way another thread can
 * touch the decoder, its weights or the learner). The reply completes {@link #reply()}; callers
 * must continue asynchronously ({@code whenCompleteAsync}) so their code never runs on the engine.
 *
 * <p>A caller that stops waiting ({@link #expire}) fails the reply; a command expired before the
 * engine took it is never run, so a caller told it timed out knows it changed nothing.
 *
 * @param <T> the reply type
 */
public abstract class EngineCommand<T> {
    private final CompletableFuture<T> reply = new CompletableFuture<>();
    private final AtomicBoolean taken = new AtomicBoolean(); // by the engine, or expired

    /** A command running {@code work} on the engine thread. */
    public static <T> EngineCommand<T> of(java.util.function.Function<EngineAgent, T> work) {
        return new EngineCommand<>() {
            @Override
            protected T execute(EngineAgent engine) {
                return work.apply(engine);
            }
        };
    }

    /** Does the work on the engine thread; may allocate (control plane). */
    protected abstract T execute(EngineAgent engine);

    public CompletableFuture<T> reply() {
        return reply;
    }

    final void run(EngineAgent engine) {
        if (!taken.compareAndSet(false, true)) {
            return; // expired while queued: its caller was told it did not run
        }
        try {
            reply.complete(execute(engine));
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        } catch (Error e) {
            reply.completeExceptionally(e); // the caller is not left waiting
            throw e; // and the engine's pool puts the session into ERROR
        }
    }

    /** Fails the command without running it (queue full, engine stopped). */
    void reject(RuntimeException e) {
        taken.set(true);
        reply.completeExceptionally(e);
    }

    /**
     * Fails the reply for a caller that no longer waits (any thread).
     *
     * @param notRun the failure when the engine had not taken the command yet: it never will
     * @param running the failure when the engine had taken it and not answered yet: it may still
     *     take effect
     * @return whether the command was still queued (and now will not run)
     */
    public boolean expire(RuntimeException notRun, RuntimeException running) {
        boolean queued = taken.compareAndSet(false, true);
        reply.completeExceptionally(queued ? notRun : running);
        return queued;
    }
}
