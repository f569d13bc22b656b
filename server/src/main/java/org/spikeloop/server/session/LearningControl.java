package org.spikeloop.server.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.LearningMode;
import org.spikeloop.server.engine.LearningStateView;
import org.spikeloop.server.security.AuditLog;

/**
 * Learning control of sessions (mode, rate, interval, state): each operation is a command to the
 * session's engine (the only writer of its weights), and every change audited with its previous and
 * new value. Replies continue on {@code io}, never on the engine thread. Snapshots, loads and
 * rollbacks go through the checkpoint registry ({@code governance.SessionCheckpoints}).
 */
public final class LearningControl {
    private final SessionManager sessions;
    private final AuditLog audit;
    private final ServerConfig config;
    private final Executor io;

    public LearningControl(SessionManager sessions, AuditLog audit, Executor io) {
        this.sessions = sessions;
        this.audit = audit;
        this.config = sessions.config();
        this.io = io;
    }

    public CompletableFuture<LearningStateView> state(String sessionId) {
        return sessions.get(sessionId).command(e -> e.learningState()).thenApplyAsync(s -> s, io);
    }

    public CompletableFuture<LearningStateView> setMode(
            String sessionId, LearningMode mode, String who) {
        if (mode == null) {
            throw ServerException.invalid("mode: required (ENABLED, PAUSED or FROZEN)");
        }
        Session s = sessions.get(sessionId);
        return s.command(
                        e -> {
                            LearningMode before = e.learningState().mode();
                            LearningStateView after = e.setMode(mode);
                            return new Change<>(before.name(), after);
                        })
                .thenApplyAsync(
                        c -> {
                            audit.record(who, "learning.mode", sessionId, c.before(), mode.name());
                            return c.value();
                        },
                        io);
    }

    public CompletableFuture<LearningStateView> setParameters(
            String sessionId, double rate, int intervalSteps, String who) {
        if (!Double.isFinite(rate) || rate < 0) {
            throw ServerException.invalid(
                    "learning_rate: must be a finite value >= 0, got " + rate);
        }
        if (intervalSteps < 0) {
            throw ServerException.invalid(
                    "update_interval_steps: must be >= 0, got " + intervalSteps);
        }
        LearningBounds.check(config, rate, intervalSteps);
        Session s = sessions.get(sessionId);
        return s.command(
                        e -> {
                            LearningStateView b = e.learningState();
                            LearningStateView after = e.setParameters(rate, intervalSteps);
                            return new Change<>(
                                    "rate="
                                            + b.learningRate()
                                            + " interval="
                                            + b.updateIntervalSteps(),
                                    after);
                        })
                .thenApplyAsync(
                        c -> {
                            audit.record(
                                    who,
                                    "learning.parameters",
                                    sessionId,
                                    c.before(),
                                    "rate="
                                            + c.value().learningRate()
                                            + " interval="
                                            + c.value().updateIntervalSteps());
                            return c.value();
                        },
                        io);
    }

    /** Unwraps CompletionException layers. */
    public static Throwable cause(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private record Change<T>(String before, T value) {}
}
