package org.spikeloop.adapters.xdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.testing.AllocationMeter;

class XdfRecorderTest {
    @TempDir Path tmp;

    private static final long S = 1_000_000_000L;

    private XdfRecorder rec;

    private void eventually(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 10 * S;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                if (rec != null && rec.failure() != null) {
                    throw new AssertionError("recorder failed", rec.failure());
                }
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void shouldWriteOffsetsEveryFiveSecondsAndBoundariesEveryTen() throws Exception {
        Path file = tmp.resolve("r.xdf");
        AtomicLong nowNs = new AtomicLong();
        AtomicLong offsetQueries = new AtomicLong();
        XdfRecorder rec =
                new XdfRecorder(
                        file,
                        XdfRecorder.Config.defaults(),
                        () -> nowNs.get() / 1e9 + 1000,
                        nowNs::get);
        int eeg =
                rec.addStream(
                        XdfTestFiles.info("eeg", ChannelFormat.FLOAT32, 2, 100),
                        t -> {
                            offsetQueries.incrementAndGet();
                            return -0.5;
                        });
        int markers =
                rec.addStream(XdfTestFiles.info("mk", ChannelFormat.STRING, 1, 0), t -> Double.NaN);
        eventually(() -> offsetQueries.get() >= 1); // queried when the stream is added
        Thread.sleep(50); // and the t = 0 period (fake time stands still until advanced)
        for (int sec = 0; sec < 25; sec++) {
            float[] data = new float[200];
            double[] ts = new double[100];
            for (int i = 0; i < 100; i++) {
                ts[i] = sec + i / 100.0;
                data[2 * i] = sec * 100 + i;
            }
            assertThat(rec.offer(eeg, data, ts, 100)).isTrue();
            assertThat(rec.offer(markers, new String[] {"m" + sec}, new double[] {sec}, 1))
                    .isTrue();
            long before = offsetQueries.get();
            nowNs.addAndGet(S);
            if (sec % 5 == 4) {
                eventually(() -> offsetQueries.get() > before);
            } else {
                Thread.sleep(10);
            }
        }
        rec.close();
        XdfRecording r = XdfReader.read(file);
        XdfStream s = r.stream(eeg);
        assertThat(s.sampleCount()).isEqualTo(2500);
        assertThat(s.samples().doubleValue(2499, 0)).isEqualTo(2499.0f);
        // on adding, at t=0, then each 5 s up to 25 s, plus one at close
        assertThat(s.clockValues()).hasSizeBetween(7, 8).containsOnly(-0.5);
        assertThat(s.clockTimes()[0]).isEqualTo(1000.5);
        // the marker stream's offset never arrived: no ClockOffset chunk, never an uninitialised
        // one
        assertThat(r.stream(markers).clockTimes()).isEmpty();
        assertThat(r.stream(markers).sampleCount()).isEqualTo(25);
        assertThat(r.boundaryChunks()).isBetween(2L, 3L);
        assertThat(s.footerXml()).contains("<sample_count>2500</sample_count>");
        assertThat(rec.droppedChunks()).isZero();
    }

    @Test
    void shouldDropAndCountChunksWhenTheQueueIsFull() throws Exception {
        Path file = tmp.resolve("q.xdf");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        XdfRecorder rec =
                new XdfRecorder(
                        file,
                        XdfRecorder.Config.defaults().withQueueCapacity(4),
                        () -> 0.0,
                        System::nanoTime);
        int id =
                rec.addStream(
                        XdfTestFiles.info("slow", ChannelFormat.INT32, 1, 10),
                        t -> {
                            blocked.countDown();
                            try {
                                release.await(); // a stuck offset query stalls the recorder thread
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return 0.0;
                        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (rec.offer(id, new int[] {i}, new double[] {i}, 1)) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(4);
        assertThat(rec.droppedChunks()).isEqualTo(6);
        release.countDown();
        rec.close();
        assertThat(XdfReader.read(file).stream(id).sampleCount()).isEqualTo(4);
    }

    /**
     * A recording in steady state allocates nothing per chunk, on the producer's thread nor on the
     * recorder's: chunks come from the stream's free list and go back after the write. Measured
     * with the threads' allocation counters over rounds of 400 chunks (an offer every 0.5 ms, paced
     * so the disk keeps up); the JVM may charge a few bytes to a thread once (a deoptimisation,
     * TLAB bookkeeping), so: the quietest round is exactly 0 and no round comes near one object per
     * chunk.
     */
    @Test
    void shouldHandChunksOverWithoutAllocatingOnceThePoolIsFilled() throws Exception {
        Path file = tmp.resolve("steady.xdf");
        XdfRecorder rec = handOffRecorder(file);
        int id = rec.addStream(sixteenChannels("steady"), t -> 0.0);
        float[] rows = new float[10 * 16];
        double[] stamps = new double[10];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int rounds = 6;
        int perRound = 400;
        long[] producer = new long[rounds];
        long[] recorder = new long[rounds];
        long[] pool = new long[rounds];
        double t = 0;
        for (int warm = 0; warm < 4_000; warm++) {
            t = offerPaced(rec, id, rows, stamps, t);
        }
        for (int r = 0; r < rounds; r++) {
            long p0 = threads.getCurrentThreadAllocatedBytes();
            long r0 = threads.getThreadAllocatedBytes(rec.threadId());
            for (int i = 0; i < perRound; i++) {
                t = offerPaced(rec, id, rows, stamps, t);
            }
            Thread.sleep(20); // the recorder writes what is queued
            producer[r] = threads.getCurrentThreadAllocatedBytes() - p0;
            recorder[r] = threads.getThreadAllocatedBytes(rec.threadId()) - r0;
            pool[r] = rec.chunksAllocated();
        }
        System.out.printf(
                "XDF hand-off bytes per round of %d chunks: producer %s, recorder %s, chunks"
                        + " allocated %s%n",
                perRound,
                java.util.Arrays.toString(producer),
                java.util.Arrays.toString(recorder),
                java.util.Arrays.toString(pool));
        assertThat(java.util.Arrays.stream(producer).min().getAsLong()).isZero();
        assertThat(java.util.Arrays.stream(recorder).min().getAsLong()).isZero();
        assertThat(java.util.Arrays.stream(producer).max().getAsLong()).isLessThan(16L * perRound);
        assertThat(java.util.Arrays.stream(recorder).max().getAsLong()).isLessThan(16L * perRound);
        // The pool stays within its bound. It may still take a chunk from the heap during the
        // measured rounds when the recorder thread is descheduled longer than the warm-up saw (a
        // fresh CI machine did: 9 -> 10); the rounds with 0 bytes above show the steady state.
        assertThat(pool[rounds - 1])
                .isGreaterThanOrEqualTo(pool[0])
                .isLessThanOrEqualTo(XdfRecorder.FREE_CHUNKS_PER_STREAM);
        rec.close();
        XdfStream s = XdfReader.read(file).stream(id);
        assertThat(s.sampleCount()).isEqualTo(10L * (4_000 + rounds * perRound));
        assertThat(rec.droppedChunks()).isZero();
    }

    /**
     * A poller's chunks vary in size with its timing (an LSL source flushes the rows of the last 50
     * ms or more): once the pool has chunks for the usual size, chunks a little larger (51 to 63
     * rows after 50) take no new arrays. Before, each pooled chunk grew to each new largest size.
     */
    @Test
    void shouldNotAllocateForChunksThatVaryInSizeWithinTheirPowerOfTwo() throws Exception {
        Path file = tmp.resolve("varying.xdf");
        XdfRecorder rec = handOffRecorder(file);
        int id = rec.addStream(sixteenChannels("varying"), t -> 0.0);
        float[] rows = new float[64 * 16];
        double[] stamps = new double[64];
        double t = 0;
        for (int warm = 0; warm < 2_000; warm++) {
            t = offerPaced(rec, id, rows, stamps, 50, t);
        }
        int rounds = 13;
        int perRound = 100;
        long[] producer = new long[rounds];
        long[] poolGrowth = new long[rounds];
        long samples = 2_000L * 50;
        for (int r = 0; r < rounds; r++) {
            int n = 51 + r; // a new largest chunk each round
            long chunksBefore = rec.chunksAllocated();
            long before = AllocationMeter.allocatedBytes();
            for (int i = 0; i < perRound; i++) {
                t = offerPaced(rec, id, rows, stamps, n, t);
            }
            producer[r] = AllocationMeter.allocatedBytes() - before;
            poolGrowth[r] = rec.chunksAllocated() - chunksBefore;
            samples += (long) n * perRound;
        }
        System.out.printf(
                "XDF hand-off bytes per round of %d chunks of 51..63 rows: %s, new chunks %s%n",
                perRound,
                java.util.Arrays.toString(producer),
                java.util.Arrays.toString(poolGrowth));
        // A round in which the recorder thread was starved long enough to empty the free list
        // grows the pool by a whole chunk (4.7 KB), as designed; that is not what is tested here.
        // The pool stops growing once it covers the chunks in flight: at most 10 with this pacing
        // (8 queued, 1 being written, 1 being filled), and the warm-up left at least 2 in it, so
        // at most 8 rounds can grow it.
        long[] withoutGrowth =
                java.util.stream.IntStream.range(0, rounds)
                        .filter(r -> poolGrowth[r] == 0)
                        .mapToLong(r -> producer[r])
                        .toArray();
        assertThat(withoutGrowth.length).isGreaterThanOrEqualTo(rounds - 8);
        // One 51-row chunk's arrays are 3.7 KB: growing the arrays of even one reused chunk to
        // the round's new largest size would show.
        assertThat(java.util.Arrays.stream(withoutGrowth).min().getAsLong()).isZero();
        assertThat(java.util.Arrays.stream(withoutGrowth).max().getAsLong())
                .isLessThan(16L * perRound);
        rec.close();
        assertThat(XdfReader.read(file).stream(id).sampleCount()).isEqualTo(samples);
        assertThat(rec.droppedChunks()).isZero();
    }

    /**
     * A recorder for the hand-off tests: a 64-chunk queue, no clock offsets, boundaries or syncs
     * within the test (so every write is a chunk); the test closes it.
     */
    private XdfRecorder handOffRecorder(Path file) throws Exception {
        XdfRecorder.Config config =
                new XdfRecorder.Config(64, 3_600 * S, 3_600 * S, 3_600 * S, 1.0);
        rec = new XdfRecorder(file, config, () -> 0.0, System::nanoTime);
        return rec;
    }

    private static StreamInfo sixteenChannels(String name) {
        return XdfTestFiles.info(name, ChannelFormat.FLOAT32, 16, 1000);
    }

    private static double offerPaced(
            XdfRecorder rec, int id, float[] rows, double[] stamps, double t) {
        return offerPaced(rec, id, rows, stamps, stamps.length, t);
    }

    /**
     * Offers one chunk of {@code n} rows stamped from {@code t} on, then waits 0.5 ms and until at
     * most 8 chunks wait for the disk (so a busy machine that starves the recorder thread for a
     * while does not make the pool grow or the queue overflow during the test).
     */
    private static double offerPaced(
            XdfRecorder rec, int id, float[] rows, double[] stamps, int n, double t) {
        for (int i = 0; i < n; i++) {
            stamps[i] = t + i * 0.001;
            rows[i * 16] = (float) stamps[i];
        }
        if (!rec.offer(id, rows, stamps, n)) { // no assertion object per offer
            throw new AssertionError("chunk refused at t = " + t);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(500_000);
        while (rec.queuedChunks() > 8) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        return t + n * 0.001;
    }
}
