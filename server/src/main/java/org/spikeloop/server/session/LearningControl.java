package org.spikeloop.server.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.LearningMode;
import org.spikeloop.server.engine.LearningStateView;
import org.spikeloop.server.security.AuditLog;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.NetworkParams;

/**
 * Learning and checkpoint control of sessions: each operation is a command to the session's engine
 * (the only writer of its weights), with file I/O done off the engine on {@code io}, and every
 * change audited with its previous and new value. Replies continue on {@code io}, never on the
 * engine thread.
 */
public final class LearningControl {
    private final SessionManager sessions;
    private final CheckpointStore checkpoints;
    private final AuditLog audit;
    private final ServerConfig config;
    private final Executor io;

    public LearningControl(
            SessionManager sessions, CheckpointStore checkpoints, AuditLog audit, Executor io) {
        this.sessions = sessions;
        this.checkpoints = checkpoints;
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

    public CompletableFuture<CheckpointInfo> snapshot(String sessionId, String name, String who) {
        Session s = sessions.get(sessionId);
        if (name != null && !name.isEmpty()) {
            checkpoints.resolve("name", name); // validate before touching the engine
        }
        record Weights(NetworkParams params, long step, String parent) {}
        return s.command(
                        e ->
                                new Weights(
                                        e.exportParams(),
                                        e.steps(),
                                        e.learningState().activeCheckpoint()))
                .thenApplyAsync(
                        w -> {
                            String file =
                                    name == null || name.isEmpty()
                                            ? sessionId + "-" + w.step() + ".ckpt"
                                            : name;
                            Provenance p =
                                    Provenance.now(
                                            who,
                                            "snapshot of session "
                                                    + sessionId
                                                    + " at step "
                                                    + w.step());
                            if (w.parent() != null && !w.parent().isEmpty()) {
                                p = p.withParent(w.parent());
                            }
                            Checkpoint ck;
                            try {
                                ck = Checkpoint.create(s.spec(), w.params(), p);
                            } catch (CheckpointException ex) {
                                throw new ServerException(
                                        ServerException.Kind.INTERNAL,
                                        "snapshot: " + ex.getMessage(),
                                        ex);
                            }
                            checkpoints.write("name", file, ck);
                            audit.record(
                                    who,
                                    "checkpoint.snapshot",
                                    sessionId,
                                    "",
                                    file + " " + ck.contentId());
                            return new CheckpointInfo(file, ck.contentId(), w.step());
                        },
                        io);
    }

    public CompletableFuture<LearningStateView> load(String sessionId, String name, String who) {
        Session s = sessions.get(sessionId);
        return CompletableFuture.supplyAsync(
                        () -> checkpoints.read("checkpoint", name, s.spec()), io)
                .thenCompose(
                        ck ->
                                s.command(
                                        e -> {
                                            String before = e.learningState().activeCheckpoint();
                                            return new Change<>(
                                                    before, e.load(ck.params(), ck.contentId()));
                                        }))
                .thenApplyAsync(
                        c -> {
                            audit.record(
                                    who,
                                    "checkpoint.load",
                                    sessionId,
                                    c.before(),
                                    name + " " + c.value().activeCheckpoint());
                            return c.value();
                        },
                        io);
    }

    public CompletableFuture<LearningStateView> rollBack(String sessionId, String who) {
        Session s = sessions.get(sessionId);
        return s.command(
                        e -> {
                            String before = e.learningState().activeCheckpoint();
                            return new Change<>(before, e.rollBack());
                        })
                .thenApplyAsync(
                        c -> {
                            audit.record(
                                    who,
                                    "checkpoint.rollback",
                                    sessionId,
                                    c.before(),
                                    c.value().activeCheckpoint());
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
