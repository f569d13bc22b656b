package org.spikeloop.server.governance;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.spikeloop.server.jobs.JobManager;
import org.spikeloop.server.jobs.JobTriggers;
import org.spikeloop.server.jobs.PeriodicTrigger;
import org.spikeloop.server.jobs.RecordingsDirectory;
import org.spikeloop.server.jobs.TrainingJobRequest;
import org.spikeloop.server.jobs.XdfRecordingSource;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.Role;
import org.spikeloop.server.registry.SessionRoles;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionManager;

/**
 * The governance calls the API offers (GovernanceService), checked here: put a session under
 * governance (with its recent data and, optionally, a periodic training job), read its state,
 * change its policy, evaluate, promote, roll back, snapshot, and read its audit trail. Every
 * refusal names the request field: IllegalArgumentException for a bad value or a session that is
 * not governed, IllegalStateException for an action the session's roles do not allow yet,
 * ServerException NOT_FOUND for an unknown session.
 *
 * <p>Threading: any thread; the calls block on the engine (snapshots, loads) and on files (shadow
 * evaluation), so callers keep them off transport threads.
 */
public final class GovernanceOperations {
    /** Recent data scored per shadow evaluation when a request leaves it 0. */
    public static final double DEFAULT_EVALUATION_S = 60;

    private final Governor governor;
    private final SessionManager sessions;
    private final JobManager jobs;
    private final JobTriggers triggers;
    private final RecordingsDirectory recordings;
    private final CheckpointRegistry registry;

    public GovernanceOperations(
            Governor governor,
            SessionManager sessions,
            JobManager jobs,
            JobTriggers triggers,
            RecordingsDirectory recordings) {
        this.governor = governor;
        this.sessions = sessions;
        this.jobs = jobs;
        this.triggers = triggers;
        this.recordings = recordings;
        this.registry = jobs.registry();
    }

    /**
     * Puts a session under governance: its live weights become ACTIVE and LAST_GOOD, shadow
     * evaluations score the recent data of its recordings, and with {@code trainEveryMinutes} or
     * {@code trainEveryLabelledSamples} a periodic training job starts from its ACTIVE checkpoint.
     */
    public void govern(GovernRequest r, String who) {
        Session s = sessions.get(r.sessionId());
        GovernancePolicy policy = r.policy();
        if (r.snapshotEveryS() != null) {
            policy = policy.withSnapshotEveryS(checkSnapshotEveryS(r.snapshotEveryS()));
        }
        List<Path> files = recordings.resolve("recordings", r.recordings());
        if (missing(r.inputsStream()) || missing(r.labelsStream())) {
            throw new IllegalArgumentException(
                    "inputs_stream and labels_stream: both stream names are required");
        }
        double seconds = r.evaluationSeconds() == 0 ? DEFAULT_EVALUATION_S : r.evaluationSeconds();
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("evaluation_seconds: must be > 0, got " + seconds);
        }
        if (r.trainEveryMinutes() < 0) {
            throw new IllegalArgumentException(
                    "train_every_minutes: must be >= 0, got " + r.trainEveryMinutes());
        }
        governor.govern(
                new EngineSessionControl(s),
                new XdfRecentData(
                        () -> files,
                        r.inputsStream(),
                        r.labelsStream(),
                        seconds,
                        s.spec().inputs(),
                        s.spec().outputs()),
                policy,
                who);
        if (r.trainEveryMinutes() > 0 || r.trainEveryLabelledSamples() > 0) {
            String sid = s.id();
            triggers.add(
                    new PeriodicTrigger(
                            sid,
                            Math.round(r.trainEveryMinutes() * 60_000),
                            r.trainEveryLabelledSamples(),
                            new XdfRecordingSource(files, r.labelsStream()),
                            f ->
                                    new TrainingJobRequest(
                                            sid,
                                            f,
                                            r.inputsStream(),
                                            r.labelsStream(),
                                            Double.NaN,
                                            Double.NaN,
                                            null,
                                            registry.roles(sid).active(),
                                            TrainingJobRequest.DEFAULT_VALIDATION_FRACTION,
                                            TrainingJobRequest.DEFAULT_WINDOW_FRAMES,
                                            TrainingJobRequest.DEFAULT_PATIENCE,
                                            Governor.PERIODIC),
                            jobs,
                            Clock.systemUTC()));
        }
    }

    /**
     * A governed session's roles, policy and last scores.
     *
     * @throws IllegalArgumentException when the session is not governed
     */
    public GovernanceStatus status(String sessionId) {
        GovernancePolicy p = governor.policy(sessionId);
        SessionRoles roles = registry.roles(sessionId);
        return new GovernanceStatus(
                sessionId,
                roles.get(Role.ACTIVE),
                roles.get(Role.REFERENCE),
                roles.get(Role.LAST_GOOD),
                p,
                governor.scores(sessionId));
    }

    /**
     * Replaces a governed session's policy (audited).
     *
     * @param snapshotEveryS the snapshot period as the client sent it (unsigned, at most one year),
     *     or null to keep the current one
     */
    public void setPolicy(
            String sessionId, GovernancePolicy policy, Long snapshotEveryS, String who) {
        long period =
                snapshotEveryS != null
                        ? checkSnapshotEveryS(snapshotEveryS)
                        : governor.policy(sessionId).snapshotEveryS();
        governor.setPolicy(sessionId, policy.withSnapshotEveryS(period), who);
    }

    /** Runs a shadow evaluation now (and whatever the policy does with it). */
    public void evaluate(String sessionId) {
        governor.evaluate(sessionId);
    }

    /** Makes the REFERENCE checkpoint ACTIVE; {@code reason} "" = "operator promotion". */
    public void promote(String sessionId, String who, String reason) {
        governor.promote(sessionId, who, orDefault(reason, "operator promotion"));
    }

    /** Rolls back to LAST_GOOD; {@code reason} "" = "operator rollback". */
    public void rollBack(String sessionId, String who, String reason) {
        governor.rollBack(sessionId, who, orDefault(reason, "operator rollback"));
    }

    /** Snapshots the live weights as the new ACTIVE; {@code reason} "" = "operator snapshot". */
    public void snapshot(String sessionId, String who, String reason) {
        governor.snapshot(sessionId, who, orDefault(reason, "operator snapshot"));
    }

    /** The session's governance audit trail, oldest first. */
    public List<GovernanceEvent> audit(String sessionId) {
        return governor.audit(sessionId);
    }

    /**
     * {@code snapshot_every_s} as the client sent it (unsigned on the wire): 0 (off) to one year.
     *
     * @throws IllegalArgumentException naming the field
     */
    static long checkSnapshotEveryS(long unsignedSeconds) {
        if (unsignedSeconds < 0 || unsignedSeconds > GovernancePolicy.MAX_SNAPSHOT_EVERY_S) {
            throw new IllegalArgumentException(
                    "snapshot_every_s: must be 0 (off) to "
                            + GovernancePolicy.MAX_SNAPSHOT_EVERY_S
                            + " s, got "
                            + Long.toUnsignedString(unsignedSeconds));
        }
        return unsignedSeconds;
    }

    private static boolean missing(String s) {
        return s == null || s.isEmpty();
    }

    private static String orDefault(String reason, String dflt) {
        return reason == null || reason.isEmpty() ? dflt : reason;
    }
}
