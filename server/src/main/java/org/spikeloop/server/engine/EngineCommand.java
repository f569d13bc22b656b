package org.spikeloop.server.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A control-plane request run on the engine thread between steps (the only way another thread can
 * touch the decoder, its weights or the learner). The reply completes {@link #reply()}; callers
 * must continue asynchronously ({@code whenCompleteAsync}) so their code never runs on the engine.
 *
 * @param <T> the reply type
 */
public abstract class EngineCommand<T> {
    private final CompletableFuture<T> reply = new CompletableFuture<>();

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
        reply.completeExceptionally(e);
    }
}
