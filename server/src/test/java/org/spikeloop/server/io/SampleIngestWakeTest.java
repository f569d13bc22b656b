package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.SampleRing;

/**
 * {@link SampleIngest} wakes the engine once per chunk that handed rows on, and not for a chunk
 * whose rows were all refused (non-finite), so a parked engine learns of ingested rows at once.
 */
class SampleIngestWakeTest {
    private static final int CHANNELS = 3;

    private final AtomicInteger wakes = new AtomicInteger();
    private final SampleRing ring = new SampleRing(CHANNELS, 64);
    private final SampleIngest ingest =
            new SampleIngest(
                    "samples",
                    "channel_count",
                    new FrontEndFeed(ring, null),
                    1000,
                    new IngestBudget("s", 1e6, 1e12, EngineClock.system().nanoTime()),
                    EngineClock.system(),
                    new AtomicLong(),
                    new AtomicLong(),
                    new AtomicLong(),
                    new SourceStamps(1000),
                    new AtomicLong(),
                    new AtomicBoolean(),
                    null,
                    wakes::incrementAndGet,
                    IngestGate.OPEN);

    private void chunk(int rows, float value) {
        ingest.beginChunk(CHANNELS, rows * CHANNELS, 0, 0);
        for (int r = 0; r < rows; r++) {
            Arrays.fill(ingest.rowBuffer(), value);
            ingest.offerUnstampedRow();
        }
        ingest.endChunk();
    }

    @Test
    void shouldWakeTheEngineOncePerChunkThatHandedRowsOn() {
        chunk(5, 1f);
        assertThat(wakes).hasValue(1);
        chunk(1, 0f);
        assertThat(wakes).hasValue(2);
        assertThat(ring.available()).isEqualTo(6);
    }

    @Test
    void shouldNotWakeTheEngineForAChunkWhoseRowsWereAllRefused() {
        chunk(4, Float.NaN);
        assertThat(wakes).hasValue(0);
        assertThat(ingest.nonFinite()).isEqualTo(4);
        ingest.close(); // ends no new chunk: nothing handed on since
        assertThat(wakes).hasValue(0);
    }
}
