package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Outlets and inlets over the real liblsl on this machine (LSLAPICFG keeps discovery local). */
class LslRoundTripTest {
    private static final double RESOLVE_S = 5.0;

    /** A pull with a timeout waits until the buffer is full or the timeout passes. */
    private static final double PULL_S = 5.0;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static StreamInfo resolveOne(String prop, String value) {
        List<StreamInfo> found = Resolver.byProperty(prop, value, 1, RESOLVE_S);
        assertThat(found).as("resolve %s=%s", prop, value).hasSize(1);
        return found.get(0);
    }

    private static double[] stamps(double start, int n, double rate) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i / rate;
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(ChannelFormat.class)
    void shouldDeliverValuesAndTimestampsUnchangedForEveryFormat(ChannelFormat format) {
        int channels = 3;
        int samples = 40;
        String name = unique("rt-" + format.xmlName());
        StreamInfo info =
                StreamInfo.builder(name, "Test", channels, format)
                        .nominalSrateHz(format == ChannelFormat.STRING ? 0 : 250)
                        .sourceId(name)
                        .build();
        double[] sent = stamps(1000.5, samples, 250);
        try (Outlet outlet = new Outlet(info);
                Inlet inlet = new Inlet(resolveOne("name", name), InletConfig.defaults())) {
            inlet.open(RESOLVE_S);
            assertThat(outlet.waitForConsumers(RESOLVE_S)).isTrue();
            double[] got = new double[samples];
            int n = samples * channels;
            switch (format) {
                case FLOAT32 -> {
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = i * 0.25f - 7.125f;
                    }
                    outlet.pushChunk(out, sent, samples);
                    float[] in = new float[n];
                    assertThat(inlet.pullChunk(in, got, PULL_S)).isEqualTo(samples);
                    assertThat(in).containsExactly(out);
                }
                case DOUBLE64 -> {
                    double[] out = new double[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = Math.PI * i - 1e300 / (i + 1);
                    }
                    outlet.pushChunk(out, sent, samples);
                    double[] in = new double[n];
                    assertThat(inlet.pullChunk(in, got, PULL_S)).isEqualTo(samples);
                    assertThat(in).containsExactly(out);
                }
                case INT8 -> {
                    byte[] out = new byte[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = (byte) (i * 7 - 128);
                    }
                    outlet.pushChunk(out, sent, samples);
                    byte[] in = new byte[n];
                    assertThat(inlet.pullChunk(in, got, PULL_S)).isEqualTo(samples);
                    assertThat(in).containsExactly(out);
                }
                case INT16 -> {
                    short[] out = new short[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = (short) (i * 1111 - 32768);
                    }
                    outlet.pushChunk(out, sent, samples);
                    short[] in = new short[n];
                    assertThat(inlet.pullChunk(in, got, PULL_S)).isEqualTo(samples);
                    assertThat(in).containsExactly(out);
                }
                case INT32 -> {
                    int[] out = new int[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = Integer.MIN_VALUE + i * 99_999_999;
                    }
                    outlet.pushChunk(out, sent, samples);
                    int[] in = new int[n];
                    assertThat(inlet.pullChunk(in, got, PULL_S)).isEqualTo(samples);
                    assertThat(in).containsExactly(out);
                }
                case INT64 -> {
                    long[] out = new long[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = Long.MIN_VALUE + i * 76_543_210_987_654_321L;
                    }
                    outlet.pushChunk(out, sent, samples);
                    long[] in = new long[n];
                    assertThat(inlet.pullChunk(in, got, PULL_S)).isEqualTo(samples);
                    assertThat(in).containsExactly(out);
                }
                case STRING -> {
                    String[] out = new String[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = i % 5 == 0 ? "" : "ev-" + i + " \u00e9\u4e2d";
                    }
                    outlet.pushChunk(out, sent, samples);
                    String[] in = new String[n];
                    assertThat(inlet.pullChunk(in, got, PULL_S)).isEqualTo(samples);
                    assertThat(in).containsExactly(out);
                }
            }
            assertThat(got).containsExactly(sent);
        }
    }

    @Test
    void shouldExposeChannelLabelsFromTheFullInfo() {
        String name = unique("labels");
        StreamInfo info =
                StreamInfo.builder(name, "Control", 2, ChannelFormat.FLOAT32)
                        .nominalSrateHz(100)
                        .sourceId(name)
                        .channelLabels(List.of("vel_x", "vel_y"))
                        .build();
        try (Outlet outlet = new Outlet(info);
                Inlet inlet = new Inlet(resolveOne("source_id", name), InletConfig.defaults())) {
            StreamInfo full = inlet.fullInfo(RESOLVE_S);
            assertThat(full.channelLabels()).containsExactly("vel_x", "vel_y");
            assertThat(full.nominalSrateHz()).isEqualTo(100.0);
            assertThat(full.uid()).isEqualTo(outlet.publishedInfo().uid()).isNotEmpty();
        }
    }

    @Test
    void shouldResolveByTypeAndByPredicate() {
        String name = unique("pred");
        String type = unique("T");
        StreamInfo info =
                StreamInfo.builder(name, type, 4, ChannelFormat.INT16).nominalSrateHz(500).build();
        try (Outlet outlet = new Outlet(info)) {
            assertThat(resolveOne("type", type).name()).isEqualTo(name);
            List<StreamInfo> byPred =
                    Resolver.byPredicate("name='" + name + "' and channel_count=4", 1, RESOLVE_S);
            assertThat(byPred).extracting(StreamInfo::name).containsExactly(name);
            assertThat(Resolver.byPredicate("name='" + name + "' and channel_count=5", 1, 0.5))
                    .isEmpty();
        }
    }

    @Test
    void shouldMatchANameWithQuotesExactlyAndNeverAsAQuery() {
        String victim = unique("victim");
        String injected = "x' or name='" + victim; // as a liblsl query: "name='x' or name='..."
        StreamInfo info =
                StreamInfo.builder(victim, "EEG", 2, ChannelFormat.FLOAT32)
                        .nominalSrateHz(100)
                        .build();
        StreamInfo quoted =
                StreamInfo.builder(unique("it's"), "EEG", 2, ChannelFormat.FLOAT32)
                        .nominalSrateHz(100)
                        .build();
        try (Outlet outlet = new Outlet(info);
                Outlet quotedOutlet = new Outlet(quoted)) {
            assertThat(Resolver.named(victim, 1, RESOLVE_S))
                    .extracting(StreamInfo::name)
                    .containsExactly(victim);
            assertThat(Resolver.named(injected, 1, 0.5)).isEmpty();
            assertThat(Resolver.named(quoted.name(), 1, RESOLVE_S))
                    .extracting(StreamInfo::name)
                    .containsExactly(quoted.name());
        }
        assertThatThrownBy(() -> Resolver.byProperty("name", injected, 1, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain a quote");
        assertThatThrownBy(() -> ContinuousResolver.byProperty("name", injected, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain a quote");
    }

    @Test
    void shouldSeeStreamsAppearAndDisappear() throws InterruptedException {
        String type = unique("W");
        try (ContinuousResolver watcher = ContinuousResolver.byProperty("type", type, 1.0)) {
            assertThat(watcher.poll().current()).isEmpty();
            Outlet outlet =
                    new Outlet(
                            StreamInfo.builder("watched", type, 1, ChannelFormat.FLOAT32).build());
            ContinuousResolver.Changes changes = pollUntil(watcher, c -> !c.appeared().isEmpty());
            assertThat(changes.appeared()).extracting(StreamInfo::type).containsExactly(type);
            outlet.close();
            changes = pollUntil(watcher, c -> !c.disappeared().isEmpty());
            assertThat(changes.disappeared()).extracting(StreamInfo::type).containsExactly(type);
            assertThat(changes.current()).isEmpty();
        }
    }

    private static ContinuousResolver.Changes pollUntil(
            ContinuousResolver r, java.util.function.Predicate<ContinuousResolver.Changes> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            ContinuousResolver.Changes c = r.poll();
            if (done.test(c)) {
                return c;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("continuous resolver did not report the change within 15 s");
    }

    @Test
    void shouldRefuseNumericPullFromAStringStream() {
        String name = unique("markers");
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "Markers", 1, ChannelFormat.STRING)
                                        .build());
                Inlet inlet = new Inlet(resolveOne("name", name), InletConfig.defaults())) {
            assertThatThrownBy(() -> inlet.pullChunk(new float[4], new double[4], 0.0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("channel_format string");
            assertThatThrownBy(() -> outlet.pushChunk(new float[1], new double[1], 1))
                    .hasMessageContaining("cannot push numbers");
        }
    }

    @Test
    void shouldRejectPushThatDoesNotMatchTheChannelCount() {
        String name = unique("shape");
        try (Outlet outlet =
                new Outlet(StreamInfo.builder(name, "EEG", 8, ChannelFormat.FLOAT32).build())) {
            assertThatThrownBy(() -> outlet.pushChunk(new float[15], new double[2], 2))
                    .hasMessageContaining("8 channels");
        }
    }

    @Test
    void shouldKeepNonFiniteSamplesOffTheNetwork() {
        String name = unique("finite");
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "Control", 2, ChannelFormat.FLOAT32)
                                        .nominalSrateHz(100)
                                        .build());
                Inlet inlet = new Inlet(resolveOne("name", name), InletConfig.defaults())) {
            inlet.open(RESOLVE_S);
            outlet.waitForConsumers(RESOLVE_S);
            float[] data = {1, 2, Float.NaN, 3, 4, 5, 6, Float.POSITIVE_INFINITY};
            double[] ts = {1.0, 1.01, 1.02, 1.03};
            assertThat(outlet.pushFiniteChunk(data, ts, 4)).isEqualTo(2);
            float[] in = new float[8];
            double[] got = new double[4];
            assertThat(inlet.pullChunk(in, got, 1.0)).isEqualTo(2);
            assertThat(Arrays.copyOf(in, 4)).containsExactly(1, 2, 4, 5);
            assertThat(Arrays.copyOf(got, 2)).containsExactly(1.0, 1.02);
            assertThat(outlet.nonFinite().samplesRemoved()).isEqualTo(2);
        }
    }

    /**
     * A session's LSL outlet pushes a frame or a few per cycle (float32, one channel per decoder
     * output) on the engine thread, and asks whether anyone is listening: neither may allocate.
     * After a stall it pushes up to a whole chunk of 64 frames at once: 64 × 4 outputs is 256
     * values, a count JNA's {@code NativeLong} boxed (above 127: 123 552 B over the 10 000 pushes
     * of 1-64 frames here before the count went to liblsl as a {@code long}).
     */
    @ParameterizedTest(name = "{0} outputs, 1-{1} frames")
    @CsvSource({"2, 3", "4, 64"})
    void shouldPushFloatFramesWithoutAllocating(int outputs, int maxFrames) {
        String name = unique("push");
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "Decoded", outputs, ChannelFormat.FLOAT32)
                                        .nominalSrateHz(1000)
                                        .build());
                Inlet inlet = new Inlet(resolveOne("name", name), InletConfig.defaults())) {
            inlet.open(RESOLVE_S);
            outlet.waitForConsumers(RESOLVE_S);
            float[] frames = new float[64 * outputs]; // the outlet agent's chunk buffer
            double[] ts = new double[64];
            boolean listening = false;
            for (int i = 0; i < 5_000; i++) {
                ts[0] = i;
                outlet.pushChunk(frames, ts, 1 + i % maxFrames);
                listening |= outlet.haveConsumers();
            }
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                ts[0] = i;
                outlet.pushChunk(frames, ts, 1 + i % maxFrames);
                listening |= outlet.haveConsumers();
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.printf(
                    "10 000 pushes of 1-%d frames × %d outputs: %d bytes allocated%n",
                    maxFrames, outputs, bytes);
            assertThat(bytes)
                    .as("bytes allocated by 10 000 pushes of 1-%d frames", maxFrames)
                    .isLessThan(10_000);
            assertThat(listening).isTrue();
        }
    }

    /**
     * Float and double pushes copy the samples asked for into the outlet's native buffers, which
     * grow with the chunk: a small push, a larger one (the buffers grow), then a smaller one again,
     * each taken from the front of arrays that hold more.
     */
    @ParameterizedTest
    @EnumSource(
            value = ChannelFormat.class,
            names = {"FLOAT32", "DOUBLE64"})
    void shouldPushOnlyTheSamplesAskedForAsItsBuffersGrow(ChannelFormat format) {
        int channels = 3;
        String name = unique("grow-" + format.xmlName());
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "Test", channels, format)
                                        .nominalSrateHz(250)
                                        .build());
                Inlet inlet = new Inlet(resolveOne("name", name), InletConfig.defaults())) {
            inlet.open(RESOLVE_S);
            assertThat(outlet.waitForConsumers(RESOLVE_S)).isTrue();
            int[] chunks = {2, 30, 5};
            int total = 2 + 30 + 5;
            double[] expected = new double[total * channels];
            double[] expectedStamps = new double[total];
            int at = 0;
            for (int c = 0; c < chunks.length; c++) {
                int k = chunks[c];
                double[] ts = stamps(100.0 + at / 250.0, 64, 250); // more stamps than samples
                double[] values = new double[64 * channels]; // more values than pushed
                for (int i = 0; i < values.length; i++) {
                    values[i] = (c + 1) * 1000 + i + 0.5;
                }
                if (format == ChannelFormat.FLOAT32) {
                    float[] f = new float[values.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) values[i];
                    }
                    outlet.pushChunk(f, ts, k);
                } else {
                    outlet.pushChunk(values, ts, k);
                }
                System.arraycopy(values, 0, expected, at * channels, k * channels);
                System.arraycopy(ts, 0, expectedStamps, at, k);
                at += k;
            }
            double[] got = new double[total * channels];
            double[] gotStamps = new double[total];
            int n = 0;
            long until = System.nanoTime() + (long) (PULL_S * 1e9);
            while (n < total && System.nanoTime() < until) {
                double[] buf = new double[(total - n) * channels];
                double[] ts = new double[total - n];
                int k = inlet.pullChunk(buf, ts, 0.2);
                System.arraycopy(buf, 0, got, n * channels, k * channels);
                System.arraycopy(ts, 0, gotStamps, n, k);
                n += k;
            }
            assertThat(n).isEqualTo(total);
            assertThat(got).containsExactly(expected);
            assertThat(gotStamps).containsExactly(expectedStamps);
        }
    }

    @Test
    void shouldPollFloatsWithoutAllocatingAndCopyOnlyTheSamplesWritten() {
        String name = unique("poll");
        int channels = 96;
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "Spikes", channels, ChannelFormat.FLOAT32)
                                        .nominalSrateHz(1000)
                                        .build());
                Inlet inlet = new Inlet(resolveOne("name", name), InletConfig.defaults())) {
            inlet.open(RESOLVE_S);
            outlet.waitForConsumers(RESOLVE_S);
            float[] data = new float[256 * channels]; // a source's chunk buffer
            double[] ts = new double[256];
            Arrays.fill(data, -7f); // what a poll must leave alone beyond the samples written
            for (int i = 0; i < 2_000; i++) {
                assertThat(inlet.pullChunk(data, ts, 0.0)).isZero();
            }
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                inlet.pullChunk(data, ts, 0.0);
            }
            // Through JNA's array binding each poll allocated ≈ 170 B; now none per poll (a few
            // hundred bytes once, from the JVM's own bookkeeping, are tolerated).
            assertThat(threads.getCurrentThreadAllocatedBytes() - before)
                    .as("bytes allocated by 10 000 empty polls")
                    .isLessThan(10_000);

            float[] sample = new float[channels];
            Arrays.fill(sample, 3f);
            outlet.pushChunk(sample, new double[] {5.0}, 1);
            int n = 0;
            for (int i = 0; i < 5_000 && n == 0; i++) {
                n = inlet.pullChunk(data, ts, 0.001);
            }
            assertThat(n).isEqualTo(1);
            assertThat(ts[0]).isEqualTo(5.0);
            assertThat(Arrays.copyOf(data, channels)).containsOnly(3f);
            assertThat(data[channels]).isEqualTo(-7f);
        }
    }

    @Test
    void shouldMeasureTimeCorrectionNearZeroOnThisMachine() {
        String name = unique("tc");
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "EEG", 1, ChannelFormat.FLOAT32).build());
                Inlet inlet = new Inlet(resolveOne("name", name), InletConfig.defaults())) {
            double tc = inlet.timeCorrectionS(RESOLVE_S);
            assertThat(Math.abs(tc)).isLessThan(0.01);
            assertThat(inlet.lastTimeCorrectionS()).isEqualTo(tc);
        }
    }

    @Test
    void shouldRecoverAnOutletRestartedWithTheSameSourceIdAndReportTheGap() throws Exception {
        String sourceId = unique("rig");
        double rate = 1000;
        StreamInfo info =
                StreamInfo.builder("restarting", "EEG", 2, ChannelFormat.FLOAT32)
                        .nominalSrateHz(rate)
                        .sourceId(sourceId)
                        .build();
        GapDetector gaps = new GapDetector(rate, 1.5);
        // Silent for five expected 10-sample arrivals = stalled.
        long stallAfterNs = (long) (5 * 10 * 1e9 / rate);
        Pusher first = new Pusher(info, 0, rate);
        first.start();
        try (Inlet inlet = new Inlet(resolveOne("source_id", sourceId), InletConfig.defaults())) {
            inlet.open(RESOLVE_S);
            float[] buf = new float[2 * 100];
            double[] ts = new double[100];
            int received = receive(inlet, buf, ts, gaps, 200);
            assertThat(received).isGreaterThanOrEqualTo(200);
            first.stopAndClose();
            // no data: the pulls go silent (recovery on: no "lost" error)
            long deadline = System.nanoTime() + 5_000_000_000L;
            long lastDataNs = System.nanoTime();
            boolean stalled = false;
            while (!stalled && System.nanoTime() < deadline) {
                int n = inlet.pullChunk(buf, ts, 0.01);
                gaps.onTimestamps(ts, n);
                long now = System.nanoTime();
                if (n > 0) {
                    lastDataNs = now;
                }
                stalled = now - lastDataNs > stallAfterNs;
            }
            assertThat(stalled).as("silent for the stall limit after the outlet stopped").isTrue();
            // same source_id, stamps continue where a live rig's clock would be
            Pusher second = new Pusher(info, first.nextIndex() + 2000, rate);
            second.start();
            try {
                // live again: the data resumes on the same inlet
                assertThat(receive(inlet, buf, ts, gaps, 200)).isGreaterThanOrEqualTo(200);
            } finally {
                second.stopAndClose();
            }
        } finally {
            first.stopAndClose();
        }
        assertThat(gaps.gaps()).isGreaterThanOrEqualTo(1);
        assertThat(gaps.missingSamples()).isGreaterThanOrEqualTo(2000);
    }

    private static int receive(Inlet inlet, float[] buf, double[] ts, GapDetector gaps, int want) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int total = 0;
        while (total < want && System.nanoTime() < deadline) {
            int n = inlet.pullChunk(buf, ts, 0.05);
            gaps.onTimestamps(ts, n);
            total += n;
        }
        assertThat(total).as("samples received before the deadline").isGreaterThanOrEqualTo(want);
        return total;
    }

    /** Pushes 10-sample chunks at the nominal rate from its own thread, stamps index / rate. */
    private static final class Pusher extends Thread {
        private final StreamInfo info;
        private final double rate;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile long index;
        private volatile Outlet outlet;

        Pusher(StreamInfo info, long firstIndex, double rate) {
            super("pusher-" + info.sourceId());
            this.info = info;
            this.rate = rate;
            this.index = firstIndex;
            setDaemon(true);
            this.outlet = new Outlet(info);
        }

        @Override
        public void run() {
            float[] data = new float[20];
            double[] ts = new double[10];
            double base = Lsl.localClockS();
            while (running.get()) {
                for (int i = 0; i < 10; i++) {
                    ts[i] = base + (index + i) / rate;
                }
                outlet.pushChunk(data, ts, 10);
                index += 10;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long nextIndex() {
            return index;
        }

        void stopAndClose() throws InterruptedException {
            running.set(false);
            join(5000);
            Outlet o = outlet;
            outlet = null;
            if (o != null) {
                o.close();
            }
        }
    }
}
