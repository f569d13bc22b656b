package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.io.LslDecisionOutletAgent;
import org.spikeloop.server.io.LslLabelCounters;
import org.spikeloop.server.io.LslOutletAgent;
import org.spikeloop.server.io.SessionIo;

/**
 * A session's I/O meters: what the input and label rings accepted or refused (counted by their
 * producer, the gRPC ingest or the LSL source), and, when the session has them, its LSL outlet, its
 * LSL label source (continuous labels or cue markers) and its LSL decision outlet. All {@code
 * FunctionCounter}s over single-writer counts. Bound when the session is created, once its I/O is
 * open.
 *
 * <p>Threading: bound on the control plane; the counters are read at scrape time.
 */
public final class IoMetrics implements MeterBinder {
    private final String sessionId;
    private final EngineCounters counters;
    private final SessionIo io;

    public IoMetrics(String sessionId, EngineCounters counters, SessionIo io) {
        this.sessionId = sessionId;
        this.counters = counters;
        this.io = io;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        String s = sessionId;
        EngineCounters c = counters;
        SessionMeters.counter(
                r, s, "spikeloop.samples.in", "Samples accepted into the input ring", c.samplesIn);
        SessionMeters.counter(
                r,
                s,
                "spikeloop.samples.dropped",
                "Samples dropped because the input ring was full",
                c.samplesDropped);
        SessionMeters.counter(
                r,
                s,
                "spikeloop.samples.non.finite",
                "Samples rejected for NaN or infinite values",
                c.samplesNonFinite);
        SessionMeters.counter(r, s, "spikeloop.labels.in", "Labels accepted", c.labelsIn);
        LslOutletAgent outlet = io.lslOutlet();
        if (outlet != null) {
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.outlet.frames",
                    "Frames pushed to the session's LSL outlet",
                    outlet.pushedCounter());
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.outlet.frames.dropped",
                    "Frames the LSL outlet agent lost because it fell a frame ring behind",
                    outlet.droppedCounter());
        }
        LslLabelCounters l = io.labelCounters();
        if (l != null) {
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.label.stalls",
                    "Times the LSL label stream went silent (continuous) or vanished"
                            + " (markers); learning pauses until it returns",
                    l.stalls);
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.label.non.finite",
                    "LSL labels rejected for NaN or infinite values",
                    l.rejectedNonFinite);
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.label.out.of.order",
                    "LSL labels rejected for a time stamp older than the last accepted one",
                    l.rejectedOutOfOrder);
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.label.unknown.cues",
                    "LSL markers in none of the session's marker tables",
                    l.unknownCues);
        }
        LslDecisionOutletAgent decisions = io.lslDecisions();
        if (decisions != null) {
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.decisions",
                    "Decisions pushed to the session's LSL decision outlet",
                    decisions.pushedCounter());
            SessionMeters.counter(
                    r,
                    s,
                    "spikeloop.lsl.decisions.dropped",
                    "Decisions the LSL decision outlet agent lost because it fell a ring behind",
                    decisions.droppedCounter());
        }
    }
}
