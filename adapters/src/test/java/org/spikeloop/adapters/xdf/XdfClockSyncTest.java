package org.spikeloop.adapters.xdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;

class XdfClockSyncTest {
    @TempDir Path tmp;

    @Test
    void shouldRecoverALinearOffsetExactlyWithoutOutliers() {
        double[] t = new double[20];
        double[] v = new double[20];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1000 + 5 * i;
            v[i] = 0.25 + 1e-6 * t[i];
        }
        double[] c = XdfClockSync.robustLine(t, v, 0, t.length);
        assertThat(c[0]).isCloseTo(0.25, within(1e-7));
        assertThat(c[1]).isCloseTo(1e-6, within(1e-10));
    }

    @Test
    void shouldIgnoreASingleOutlierInTheRobustFit() {
        double[] t = new double[30];
        double[] v = new double[30];
        for (int i = 0; i < t.length; i++) {
            t[i] = 5 * i;
            v[i] = -0.01;
        }
        v[10] = 0.5; // one wild offset
        double[] c = XdfClockSync.robustLine(t, v, 0, t.length);
        assertThat(c[0] + c[1] * 50).isCloseTo(-0.01, within(2e-3));
    }

    @Test
    void shouldSplitOffsetsAtABackwardCollectionTime() {
        double[] t = {100, 105, 110, 115, 2, 7, 12};
        double[] v = {0.1, 0.1, 0.1, 0.1, 50, 50, 50};
        List<int[]> ranges = XdfClockSync.resetRanges(t, v);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).containsExactly(0, 3);
        assertThat(ranges.get(1)).containsExactly(4, 6);
    }

    @Test
    void shouldTakeNumpyMedianOfEvenLengths() {
        assertThat(XdfClockSync.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(XdfClockSync.median(new double[] {3, 1, 2})).isEqualTo(2.0);
    }

    @Test
    void shouldShiftStampsByTheRecordedOffset() throws Exception {
        Path file = tmp.resolve("o.xdf");
        try (XdfWriter w = new XdfWriter(file)) {
            w.streamHeader(1, XdfTestFiles.info("a", ChannelFormat.FLOAT32, 1, 100));
            w.samples(1, new float[] {1, 2, 3}, new double[] {50, 50.01, 50.02}, 3);
            for (int i = 0; i < 5; i++) {
                w.clockOffset(1, 40 + 5 * i, 2.5);
            }
        }
        XdfRecording rec = XdfReader.read(file, new XdfReader.Options(true, true, false));
        assertThat(rec.stream(1).timestamps())
                .containsExactly(new double[] {52.5, 52.51, 52.52}, within(1e-9));
    }

    @Test
    void shouldDejitterARegularStreamToAStraightLine() throws Exception {
        Path file = tmp.resolve("j.xdf");
        double[] ts = new double[100];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 10 + i * 0.01 + ((i % 2 == 0) ? 1e-4 : -1e-4);
        }
        try (XdfWriter w = new XdfWriter(file)) {
            w.streamHeader(1, XdfTestFiles.info("a", ChannelFormat.INT16, 1, 100));
            w.samples(1, new short[100], ts, 100);
        }
        double[] out =
                XdfReader.read(file, new XdfReader.Options(false, false, true)).stream(1)
                        .timestamps();
        for (int i = 1; i < out.length; i++) {
            assertThat(out[i] - out[i - 1]).isCloseTo(0.01, within(1e-6));
        }
    }

    /**
     * JDK 17.0.15's C2 crashed the JVM (ShouldNotReachHere in TypeVect::xmeet) compiling {@code
     * robustLine} as it was, after about 3000 calls with 30-50 offsets — as a server that loads
     * recordings for jobs makes them. Run here the way that crashed a standalone JVM in half of the
     * sizes below; a crash ends this test's fork, which fails the build.
     */
    @Test
    void shouldFitThousandsOfLinesWithoutCrashingTheCompiler() {
        java.util.Random r = new java.util.Random(1);
        for (int n : new int[] {30, 33, 36, 37, 38, 40, 45, 50}) {
            double worst = 0;
            for (int k = 0; k < 3000; k++) {
                double[] t = new double[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = 1000 + 5.0 * i + r.nextGaussian() * 0.01;
                    v[i] = 0.001 + r.nextGaussian() * 1e-5;
                }
                double[] c = XdfClockSync.robustLine(t, v, 0, n);
                // the offsets are 1 ms with 10 µs of noise: so is the line, mid-range
                worst = Math.max(worst, Math.abs(c[0] + c[1] * t[n / 2] - 0.001));
            }
            assertThat(worst).as("n = %d", n).isLessThan(2e-5);
        }
    }
}
