package org.spikeloop.server.io;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.recording.RowRecorder;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.signal.FrontEndSpec;

/**
 * A recording session's ingest path, for the tests that check a training job against what the
 * session did: raw samples at the front-end's input rate go through {@code spec}'s front-end into
 * {@code ring} (what the engine steps on) and, as they came, into the recording's samples stream.
 * Budget and counters are generous and unchecked; nothing is woken.
 */
final class RecordedIngest {
    private RecordedIngest() {}

    static SampleIngest of(FrontEndSpec spec, SampleRing ring, SessionRecording recording) {
        return new SampleIngest(
                "samples",
                "channel_count",
                new FrontEndFeed(ring, spec.build()),
                spec.inputRateHz(),
                new IngestBudget("s", 1e6, 1e12, EngineClock.system().nanoTime()),
                EngineClock.system(),
                new AtomicLong(),
                new AtomicLong(),
                new AtomicLong(),
                new SourceStamps(spec.inputRateHz()),
                new AtomicLong(),
                new AtomicBoolean(),
                new RowRecorder(recording, recording.samplesStream(), spec.inputChannels()),
                () -> {},
                IngestGate.OPEN);
    }
}
