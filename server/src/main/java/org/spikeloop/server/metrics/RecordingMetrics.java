package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.spikeloop.server.recording.SessionRecording;

/**
 * A session's recording meters: {@code spikeloop_recording_write_errors_total} and {@code
 * spikeloop_recording_dropped_total}, read from the {@link SessionRecording} at scrape time. Bound
 * when the session's recording is opened (recording on).
 *
 * <p>Threading: bound on the control plane.
 */
public final class RecordingMetrics implements MeterBinder {
    private final String sessionId;
    private final SessionRecording recording;

    public RecordingMetrics(String sessionId, SessionRecording recording) {
        this.sessionId = sessionId;
        this.recording = recording;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        FunctionCounter.builder(
                        "spikeloop.recording.write.errors",
                        recording,
                        SessionRecording::writeErrors)
                .description(
                        "XDF write failures of the session's recording (file not created, or the"
                                + " recorder stopped on an I/O error)")
                .tags(SessionMeters.tags(sessionId))
                .register(r);
        FunctionCounter.builder(
                        "spikeloop.recording.dropped", recording, SessionRecording::droppedChunks)
                .description(
                        "Chunks not recorded because the recorder's queue was full (or the"
                                + " recorder had stopped on a write error)")
                .tags(SessionMeters.tags(sessionId))
                .register(r);
    }
}
