package org.spikeloop.adapters.xdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;

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
}
