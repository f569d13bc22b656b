package org.spikeloop.server.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.server.registry.Role;
import org.spikeloop.server.registry.SessionRoles;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.NetworkParams;

/**
 * A session's checkpoints in the {@link CheckpointRegistry}: snapshot the live weights, load a
 * listed checkpoint by id, roll back. The one place that changes a session's ACTIVE role, used by
 * both the LearningService (operators) and the {@link Governor} (policies), so both keep the same
 * roles, the same history of earlier active checkpoints and the same audit trail ({@link
 * GovernanceAudit}: {@code start}, {@code snapshot}, {@code snapshot-skipped}, {@code load}, {@code
 * rollback}, {@code promote}).
 *
 * <p>Non-finite live weights (a fault) are never snapshotted: the skip is audited, and loading
 * still works (the engine drops such weights instead of keeping them for its own rollback).
 *
 * <p>Errors ({@link ServerException}): an id not in the registry is NOT_FOUND, a listed file that
 * fails verification (checksum, content id) DATA_LOSS, another architecture INVALID_ARGUMENT, no
 * checkpoint to roll back to FAILED_PRECONDITION; each leaves roles, history and weights unchanged.
 *
 * <p>Threading: operations on one session are serialised (a lock per session); they block on engine
 * commands and file I/O, so call them from a control-plane thread, never an engine's.
 */
public final class SessionCheckpoints {
    /** How many earlier active checkpoints a session remembers for {@link #rollBack}. */
    public static final int HISTORY_DEPTH = 8;

    private final CheckpointRegistry registry;
    private final GovernanceAudit audit;
    private final Clock clock;
    private final Function<String, ShadowScores> scores;
    private final ConcurrentHashMap<String, ArrayDeque<String>> histories =
            new ConcurrentHashMap<>();

    /**
     * @param scores the latest shadow scores of a session for its audit events (null: none)
     */
    public SessionCheckpoints(
            CheckpointRegistry registry,
            GovernanceAudit audit,
            Clock clock,
            Function<String, ShadowScores> scores) {
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.scores = scores;
    }

    public CheckpointRegistry registry() {
        return registry;
    }

    /**
     * Snapshots the live weights into the registry: lineage kind {@code snapshot}, parent = the
     * session's ACTIVE checkpoint (or, before it has one, the checkpoint the engine loaded last),
     * creator {@code who}, {@code reason}; the entry becomes ACTIVE and the previous ACTIVE goes on
     * the rollback history.
     *
     * @throws ServerException FAILED_PRECONDITION when the live weights are not valid parameters
     *     (non-finite): nothing is registered and the skip is audited
     */
    public RegistryEntry snapshot(SessionControl c, String who, String reason) {
        synchronized (history(c.sessionId())) {
            NetworkParams live = exportValid(c);
            if (live == null) {
                String active = nz(registry.roles(c.sessionId()).active());
                record(c, "snapshot-skipped", who, reason + "; " + NOT_SNAPSHOTTED, active, active);
                throw new ServerException(
                        ServerException.Kind.FAILED_PRECONDITION,
                        "snapshot of "
                                + c.sessionId()
                                + ": the live weights are not finite; nothing was registered"
                                + " (roll back or load a checkpoint)");
            }
            return register(c, live, who, reason, false);
        }
    }

    /**
     * Registers {@code live} (already exported and checked by the caller) as a snapshot that
     * becomes ACTIVE.
     *
     * @param skipUnchanged register nothing (return null) when the weights are the ACTIVE
     *     checkpoint's
     */
    public RegistryEntry snapshot(
            SessionControl c,
            NetworkParams live,
            String who,
            String reason,
            boolean skipUnchanged) {
        synchronized (history(c.sessionId())) {
            return register(c, live, who, reason, skipUnchanged);
        }
    }

    /**
     * Loads the listed checkpoint {@code id} into the session after verifying it (checksum, content
     * id, architecture). The live weights are first snapshotted (when valid and not already
     * registered as ACTIVE) so {@link #rollBack} can return to exactly them; non-finite live
     * weights are not snapshotted (audited). {@code id} becomes ACTIVE and the engine's active id.
     *
     * @return the registry entry loaded
     */
    public RegistryEntry load(SessionControl c, String id, String who, String reason) {
        if (id == null || id.isBlank()) {
            throw ServerException.invalid("checkpoint: a registry id (content id) is required");
        }
        String s = c.sessionId();
        synchronized (history(s)) {
            RegistryEntry entry = listed(id);
            Checkpoint ck = verified(c, id);
            NetworkParams live = exportValid(c);
            String why = reason;
            if (live != null) {
                register(c, live, who, "live weights before loading " + id, true);
            } else {
                why = reason + "; " + NOT_SNAPSHOTTED;
            }
            String before = registry.roles(s).active();
            c.load(ck.params(), id);
            activate(s, before, id);
            record(c, "load", who, why, nz(before), id);
            return entry;
        }
    }

    /**
     * Rolls back to the newest earlier ACTIVE checkpoint still listed, or, when there is none, to
     * the LAST_GOOD checkpoint (if it is not already active). The live weights are discarded (not
     * snapshotted; the audit says so when they were non-finite).
     *
     * @return the registry entry now active
     * @throws ServerException FAILED_PRECONDITION when there is nothing to roll back to
     */
    public RegistryEntry rollBack(SessionControl c, String who, String reason) {
        String s = c.sessionId();
        ArrayDeque<String> h = history(s);
        synchronized (h) {
            SessionRoles roles = registry.roles(s);
            String target = null;
            boolean fromHistory = false;
            for (Iterator<String> it = h.iterator(); it.hasNext(); ) {
                String id = it.next();
                if (!id.equals(roles.active()) && registry.find(id).isPresent()) {
                    target = id;
                    fromHistory = true;
                    break;
                }
                it.remove(); // gone (retention) or the current one: not a step back
            }
            if (target == null) {
                if (roles.lastGood() == null || roles.lastGood().equals(roles.active())) {
                    throw new ServerException(
                            ServerException.Kind.FAILED_PRECONDITION,
                            "roll back: session "
                                    + s
                                    + " has no earlier active checkpoint and no last-good"
                                    + " checkpoint other than the active one");
                }
                target = roles.lastGood();
            }
            RegistryEntry entry = listed(target);
            loadDiscardingLive(c, verified(c, target), who, "rollback", reason, roles.active());
            if (fromHistory) {
                h.removeFirst();
            }
            return entry;
        }
    }

    /**
     * Rolls back to the LAST_GOOD checkpoint (a policy or an operator's governance call).
     *
     * @throws IllegalStateException when the session has no last-good checkpoint
     */
    public RegistryEntry rollBackToLastGood(SessionControl c, String who, String reason) {
        String s = c.sessionId();
        synchronized (history(s)) {
            SessionRoles roles = registry.roles(s);
            if (roles.lastGood() == null) {
                throw new IllegalStateException(
                        "roll back: session " + s + " has no last-good checkpoint");
            }
            RegistryEntry entry = listed(roles.lastGood());
            loadDiscardingLive(
                    c, verified(c, roles.lastGood()), who, "rollback", reason, roles.active());
            return entry;
        }
    }

    /**
     * Makes the REFERENCE checkpoint ACTIVE and LAST_GOOD (it has just beaten the live decoder).
     *
     * @throws IllegalStateException when the session has no reference yet
     */
    public RegistryEntry promote(SessionControl c, String who, String reason) {
        String s = c.sessionId();
        synchronized (history(s)) {
            SessionRoles roles = registry.roles(s);
            if (roles.reference() == null) {
                throw new IllegalStateException(
                        "promote: session " + s + " has no reference checkpoint yet");
            }
            RegistryEntry entry = listed(roles.reference());
            Checkpoint ref = verified(c, roles.reference());
            c.load(ref.params(), ref.contentId());
            activate(s, roles.active(), ref.contentId());
            registry.setRole(s, Role.LAST_GOOD, ref.contentId());
            record(c, "promote", who, reason, nz(roles.active()), ref.contentId());
            return entry;
        }
    }

    /**
     * Records registry checkpoint {@code id}, which a new session's decoder was created from
     * ({@code CreateSession.decoder.registry_id}), as the session's ACTIVE checkpoint with an empty
     * rollback history, so later snapshots name it as parent and a rollback returns to it (audited
     * as {@code start}).
     *
     * @throws ServerException NOT_FOUND when {@code id} is no longer listed
     */
    public void startFrom(SessionControl c, String id, String who) {
        String s = c.sessionId();
        synchronized (history(s)) {
            listed(id);
            String before = registry.roles(s).active();
            registry.setRole(s, Role.ACTIVE, id);
            history(s).clear();
            record(c, "start", who, "session created from registry checkpoint", nz(before), id);
        }
    }

    /** How many earlier active checkpoints {@link #rollBack} can step through. */
    public int rollbackDepth(String sessionId) {
        ArrayDeque<String> h = histories.get(sessionId);
        if (h == null) {
            return 0;
        }
        synchronized (h) {
            return h.size();
        }
    }

    /**
     * Forgets a stopped session's rollback history and stops counting its actions (its registry
     * roles and audit events stay).
     */
    public void forget(String sessionId) {
        histories.remove(sessionId);
        audit.forget(sessionId);
    }

    private static final String NOT_SNAPSHOTTED =
            "live weights non-finite: not exported or snapshotted";

    private void loadDiscardingLive(
            SessionControl c,
            Checkpoint ck,
            String who,
            String action,
            String reason,
            String before) {
        String why = exportValid(c) == null ? reason + "; " + NOT_SNAPSHOTTED : reason;
        c.load(ck.params(), ck.contentId());
        registry.setRole(c.sessionId(), Role.ACTIVE, ck.contentId());
        record(c, action, who, why, nz(before), ck.contentId());
    }

    private RegistryEntry register(
            SessionControl c,
            NetworkParams live,
            String who,
            String reason,
            boolean skipUnchanged) {
        String s = c.sessionId();
        SessionRoles roles = registry.roles(s);
        String parent = roles.active();
        if (parent == null) {
            String engine = c.activeCheckpointId();
            parent = engine == null || engine.isEmpty() ? null : engine;
        }
        Checkpoint ck;
        try {
            Provenance p =
                    Provenance.now(who, "snapshot of session " + s + " at step " + c.steps())
                            .withNotes(reason);
            ck = Checkpoint.create(c.spec(), live, parent == null ? p : p.withParent(parent));
        } catch (CheckpointException e) {
            throw new ServerException(
                    ServerException.Kind.INTERNAL, "snapshot of " + s + ": " + e.getMessage(), e);
        }
        if (skipUnchanged && ck.contentId().equals(roles.active())) {
            return null; // the weights have not moved since ACTIVE was registered
        }
        RegistryEntry e = registry.register(ck, Lineage.snapshot(s, parent, who, reason));
        activate(s, roles.active(), e.id());
        c.markActive(e.id()); // the API's active_checkpoint follows the ACTIVE role
        record(c, "snapshot", who, reason, nz(roles.active()), e.id());
        return e;
    }

    /** ACTIVE := {@code id}; the previous ACTIVE goes on the history (newest first). */
    private void activate(String s, String before, String id) {
        registry.setRole(s, Role.ACTIVE, id);
        if (before != null && !before.equals(id)) {
            ArrayDeque<String> h = history(s);
            h.remove(before);
            h.addFirst(before);
            while (h.size() > HISTORY_DEPTH) {
                h.removeLast();
            }
        }
    }

    private RegistryEntry listed(String id) {
        return registry.find(id)
                .orElseThrow(
                        () ->
                                ServerException.notFound(
                                        "checkpoint: no checkpoint "
                                                + id
                                                + " in the registry "
                                                + registry.dir()));
    }

    /** Loads and verifies {@code id} for the session's architecture, with a status per failure. */
    private Checkpoint verified(SessionControl c, String id) {
        try {
            return registry.load(id, c.spec());
        } catch (RegistryException wrong) {
            listed(id); // unlisted meanwhile: NOT_FOUND
            try {
                registry.load(id);
            } catch (RegistryException corrupt) {
                throw new ServerException(
                        ServerException.Kind.DATA_LOSS,
                        "checkpoint: " + corrupt.getMessage(),
                        corrupt);
            }
            // The file verifies on its own: the architecture is what differs.
            throw new ServerException(
                    ServerException.Kind.INVALID_ARGUMENT,
                    "checkpoint: " + wrong.getMessage() + " (the session's architecture differs)",
                    wrong);
        }
    }

    /** The live weights, or null when they are not valid parameters (non-finite). */
    private static NetworkParams exportValid(SessionControl c) {
        try {
            return c.exportLive();
        } catch (IllegalArgumentException nonFinite) {
            return null; // the caller audits the skip
        }
    }

    private void record(
            SessionControl c, String action, String who, String reason, String from, String to) {
        audit.registerSession(c.sessionId(), c.governanceMeters());
        ShadowScores last = scores.apply(c.sessionId());
        audit.record(
                new GovernanceEvent(
                        Instant.now(clock),
                        c.sessionId(),
                        action,
                        who,
                        reason,
                        last == null ? Double.NaN : last.liveMse(),
                        last == null ? Double.NaN : last.referenceMse(),
                        from,
                        to));
    }

    private ArrayDeque<String> history(String sessionId) {
        return histories.computeIfAbsent(sessionId, k -> new ArrayDeque<>());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
