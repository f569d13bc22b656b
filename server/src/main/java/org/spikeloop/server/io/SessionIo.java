package org.spikeloop.server.io;

/**
 * A session's I/O agents, opened together when the session is created and started and stopped with
 * it.
 *
 * @param grpcSamples where gRPC sample streams enter the input ring (through the front-end, if
 *     any), or null when the samples come from LSL
 * @param lslSamples the LSL sample source, or null for gRPC ingest
 * @param lslOutlet the LSL outlet of the decoded outputs, or null
 * @param lslLabels the LSL source of continuous labels, or null
 * @param lslMarkers the LSL source of cue markers (trial windows), or null
 * @param lslDecisions the LSL outlet of the per-trial decisions, or null
 */
public record SessionIo(
        FrontEndFeed grpcSamples,
        LslSource lslSamples,
        LslOutletAgent lslOutlet,
        LslLabelSource lslLabels,
        LslMarkerSource lslMarkers,
        LslDecisionOutletAgent lslDecisions) {
    public SessionIo {
        if ((grpcSamples == null) == (lslSamples == null)) {
            throw new IllegalArgumentException(
                    "a session's samples come from gRPC or from LSL: give exactly one");
        }
        if (lslLabels != null && lslMarkers != null) {
            throw new IllegalArgumentException(
                    "a session's LSL labels are continuous or markers, not both");
        }
    }

    /** A session without markers or a decision outlet. */
    public SessionIo(
            FrontEndFeed grpcSamples,
            LslSource lslSamples,
            LslOutletAgent lslOutlet,
            LslLabelSource lslLabels) {
        this(grpcSamples, lslSamples, lslOutlet, lslLabels, null, null);
    }

    /** The LSL label counters (continuous or markers), or null when labels come from gRPC. */
    public LslLabelCounters labelCounters() {
        if (lslLabels != null) {
            return lslLabels.counters();
        }
        return lslMarkers == null ? null : lslMarkers.counters();
    }
}
