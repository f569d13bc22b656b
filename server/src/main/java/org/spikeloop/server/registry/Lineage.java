package org.spikeloop.server.registry;

/**
 * Where a registered checkpoint comes from, beyond its own provenance header: the session it
 * belongs to, the job that produced it, and the data it was trained on.
 *
 * @param sessionId the session it belongs to ("" for none)
 * @param kind {@code job}, {@code snapshot}, {@code import} or {@code init}
 * @param parentId content id of the checkpoint it was derived from, or null
 * @param jobId the training job that produced it ("" for none)
 * @param dataRange recordings and time range it was trained on
 * @param creator a user or policy name
 * @param reason why it was registered ("" when not given), e.g. an operator's snapshot reason
 * @param scores a job's held-out scores by name, in the order written (e.g. {@code r2.vx}, {@code
 *     kalman_r2.vx}, {@code wiener_r2.vx}); empty for other kinds and for indexes written before
 *     lineage had scores
 */
public record Lineage(
        String sessionId,
        String kind,
        String parentId,
        String jobId,
        DataRange dataRange,
        String creator,
        String reason,
        java.util.Map<String, Double> scores) {
    public Lineage {
        reason = reason == null ? "" : reason;
        scores =
                scores == null
                        ? java.util.Map.of()
                        : java.util.Collections.unmodifiableMap(
                                new java.util.LinkedHashMap<>(scores));
        sessionId = sessionId == null ? "" : sessionId;
        kind = kind == null || kind.isBlank() ? "import" : kind;
        jobId = jobId == null ? "" : jobId;
        dataRange = dataRange == null ? DataRange.none() : dataRange;
        if (creator == null || creator.isBlank()) {
            throw new IllegalArgumentException("lineage.creator must be a non-blank name");
        }
    }

    /** A lineage without scores. */
    public Lineage(
            String sessionId,
            String kind,
            String parentId,
            String jobId,
            DataRange dataRange,
            String creator,
            String reason) {
        this(sessionId, kind, parentId, jobId, dataRange, creator, reason, null);
    }

    /** A lineage without a reason. */
    public Lineage(
            String sessionId,
            String kind,
            String parentId,
            String jobId,
            DataRange dataRange,
            String creator) {
        this(sessionId, kind, parentId, jobId, dataRange, creator, "");
    }

    /** A snapshot of a session's live weights. */
    public static Lineage snapshot(String sessionId, String parentId, String creator) {
        return snapshot(sessionId, parentId, creator, "");
    }

    /** A snapshot of a session's live weights, with the reason it was taken. */
    public static Lineage snapshot(
            String sessionId, String parentId, String creator, String reason) {
        return new Lineage(sessionId, "snapshot", parentId, "", DataRange.none(), creator, reason);
    }
}
