package org.spikeloop.server.governance;

/**
 * A session's governance policy. Manual: nothing happens automatically (an operator promotes and
 * rolls back). Auto-promote: the reference is loaded when its held-out MSE is below the live one by
 * more than {@code promoteMargin} (relative). Auto-rollback: the last-good checkpoint is loaded
 * when the live MSE exceeds the reference's by more than {@code rollbackMargin} (relative) in
 * {@code sustainedEvaluations} consecutive shadow evaluations, or at once when a guard fires
 * (non-finite weights, weight norm above {@code weightNormLimit}). Whatever the mode, the live
 * (e-prop-evolving) weights are snapshotted into the registry as the new ACTIVE checkpoint every
 * {@code snapshotEveryS} seconds, so the registry never lags the decoder by more than one period.
 *
 * @param autoPromote promote automatically
 * @param promoteMargin relative margin, e.g. 0.1 = the reference must be 10 % better
 * @param autoRollback roll back automatically
 * @param rollbackMargin relative margin, e.g. 0.25 = live 25 % worse than the reference
 * @param sustainedEvaluations consecutive bad evaluations before a rollback, &ge; 1
 * @param weightNormLimit guard on the live weights' Frobenius norm (&gt; 0)
 * @param snapshotEveryS period of the automatic snapshots of the live weights in seconds, 0 = off
 */
public record GovernancePolicy(
        boolean autoPromote,
        double promoteMargin,
        boolean autoRollback,
        double rollbackMargin,
        int sustainedEvaluations,
        double weightNormLimit,
        long snapshotEveryS) {
    /** Default period of the automatic snapshots of the live weights. */
    public static final long DEFAULT_SNAPSHOT_EVERY_S = 300;

    /** Weight-norm guard when a request leaves it 0, and the manual policy's. */
    public static final double DEFAULT_WEIGHT_NORM_LIMIT = 1e6;

    /** Longest period of the automatic snapshots (one year). */
    public static final long MAX_SNAPSHOT_EVERY_S = 365L * 24 * 3600;

    public GovernancePolicy {
        if (!(promoteMargin >= 0) || !Double.isFinite(promoteMargin)) {
            throw new IllegalArgumentException(
                    "policy.promote_margin must be finite and >= 0, got " + promoteMargin);
        }
        if (!(rollbackMargin >= 0) || !Double.isFinite(rollbackMargin)) {
            throw new IllegalArgumentException(
                    "policy.rollback_margin must be finite and >= 0, got " + rollbackMargin);
        }
        if (sustainedEvaluations < 1) {
            throw new IllegalArgumentException(
                    "policy.sustained_evaluations must be >= 1, got " + sustainedEvaluations);
        }
        if (!(weightNormLimit > 0)) {
            throw new IllegalArgumentException(
                    "policy.weight_norm_limit must be > 0, got " + weightNormLimit);
        }
        if (snapshotEveryS < 0) {
            throw new IllegalArgumentException(
                    "policy.snapshot_every_s must be >= 0 (0 = off), got " + snapshotEveryS);
        }
    }

    /** A policy with the default snapshot period ({@value #DEFAULT_SNAPSHOT_EVERY_S} s). */
    public GovernancePolicy(
            boolean autoPromote,
            double promoteMargin,
            boolean autoRollback,
            double rollbackMargin,
            int sustainedEvaluations,
            double weightNormLimit) {
        this(
                autoPromote,
                promoteMargin,
                autoRollback,
                rollbackMargin,
                sustainedEvaluations,
                weightNormLimit,
                DEFAULT_SNAPSHOT_EVERY_S);
    }

    /** The same policy with another snapshot period (0 = off). */
    public GovernancePolicy withSnapshotEveryS(long seconds) {
        return new GovernancePolicy(
                autoPromote,
                promoteMargin,
                autoRollback,
                rollbackMargin,
                sustainedEvaluations,
                weightNormLimit,
                seconds);
    }

    /** Manual: an operator decides; the guards still report but do not act. */
    public static GovernancePolicy manual() {
        return new GovernancePolicy(false, 0.1, false, 0.25, 3, DEFAULT_WEIGHT_NORM_LIMIT);
    }

    /**
     * A short description for the audit trail; the snapshot period is only named when it is not the
     * default.
     */
    public String describe() {
        String snapshots =
                snapshotEveryS == DEFAULT_SNAPSHOT_EVERY_S
                        ? ""
                        : snapshotEveryS == 0
                                ? ", snapshots off"
                                : ", snapshot every " + snapshotEveryS + " s";
        if (!autoPromote && !autoRollback) {
            return "manual" + snapshots;
        }
        StringBuilder b = new StringBuilder();
        if (autoPromote) {
            b.append("auto-promote margin=").append(promoteMargin);
        }
        if (autoRollback) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append("auto-rollback margin=")
                    .append(rollbackMargin)
                    .append(" sustained=")
                    .append(sustainedEvaluations)
                    .append(" normLimit=")
                    .append(weightNormLimit);
        }
        return b.append(snapshots).toString();
    }
}
