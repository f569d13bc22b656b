package org.spikeloop.server.io;

/**
 * A session's I/O agents, opened together when the session is created and started and stopped with
 * it.
 *
 * @param grpcSamples where gRPC sample streams enter the input ring (through the front-end, if
 *     any), or null when the samples come from LSL
 * @param lslSamples the LSL sample source, or null for gRPC ingest
 * @param lslOutlet the LSL outlet of the decoded outputs, or null
 * @param lslLabels the LSL label source, or null when labels come from gRPC
 */
public record SessionIo(
        FrontEndFeed grpcSamples,
        LslSource lslSamples,
        LslOutletAgent lslOutlet,
        LslLabelSource lslLabels) {
    public SessionIo {
        if ((grpcSamples == null) == (lslSamples == null)) {
            throw new IllegalArgumentException(
                    "a session's samples come from gRPC or from LSL: give exactly one");
        }
    }
}
