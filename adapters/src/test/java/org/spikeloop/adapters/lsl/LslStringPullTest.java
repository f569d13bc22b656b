package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.testing.AllocationMeter;

/**
 * String pulls (cue markers) over the real liblsl: what arrives, that an empty poll allocates
 * nothing, and that every string liblsl allocates is freed.
 */
class LslStringPullTest {
    private static final double RESOLVE_S = 5.0;

    /** A marker source's chunk buffer (LslMarkerSource.CHUNK_MARKERS). */
    private static final int CHUNK = 64;

    private static byte[] sink;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static Outlet markerOutlet(String name) {
        return new Outlet(
                StreamInfo.builder(name, "Markers", 1, ChannelFormat.STRING)
                        .nominalSrateHz(0)
                        .sourceId(name)
                        .build());
    }

    private static Inlet openInlet(String name, boolean recover) {
        List<StreamInfo> found = Resolver.byProperty("name", name, 1, RESOLVE_S);
        assertThat(found).as("resolve %s", name).hasSize(1);
        Inlet inlet =
                new Inlet(found.get(0), new InletConfig(360, 0, recover, PostProcessing.NONE));
        inlet.open(RESOLVE_S);
        return inlet;
    }

    @Test
    void shouldSeeTheAllocationMeterMove() {
        long before = AllocationMeter.allocatedBytes();
        sink = new byte[1024];
        assertThat(AllocationMeter.allocatedBytes() - before).isGreaterThanOrEqualTo(1024);
        assertThat(sink).hasSize(1024);
    }

    /**
     * A marker stream is silent between cues, and its source polls it every engine cycle: such a
     * poll must allocate nothing. Rounds of polls after warm-up, on the thread's allocation
     * counter; the JVM itself occasionally charges a few bytes to the thread, so: most rounds
     * exactly 0 and none near a byte per poll. With recovery on (as the server's inlets), a poll
     * that finds nothing queued does not call liblsl's pull; without, every poll goes through
     * lsl_pull_chunk_buf.
     */
    @ParameterizedTest(name = "recovery {0}")
    @ValueSource(booleans = {true, false})
    void shouldPollAnEmptyStringStreamWithoutAllocating(boolean recover) {
        String name = unique("empty-markers");
        try (Outlet outlet = markerOutlet(name);
                Inlet inlet = openInlet(name, recover)) {
            assertThat(outlet.waitForConsumers(RESOLVE_S)).isTrue();
            String[] texts = new String[CHUNK];
            double[] stamps = new double[CHUNK];
            assertZeroBytesPerPoll(
                    () -> inlet.pullChunk(texts, stamps, 0.0),
                    "string poll, recovery " + (recover ? "on" : "off"));
        }
    }

    private static void assertZeroBytesPerPoll(IntSupplier poll, String what) {
        int perRound = 10_000;
        for (int i = 0; i < 20_000; i++) {
            assertThat(poll.getAsInt()).isZero();
        }
        long[] bytes = new long[10];
        int zeroRounds = 0;
        long startNs = System.nanoTime();
        for (int r = 0; r < bytes.length; r++) {
            long before = AllocationMeter.allocatedBytes();
            int got = 0;
            for (int i = 0; i < perRound; i++) {
                got += poll.getAsInt();
            }
            bytes[r] = AllocationMeter.allocatedBytes() - before;
            assertThat(got).isZero();
            if (bytes[r] == 0) {
                zeroRounds++;
            }
        }
        double nsPerPoll = (System.nanoTime() - startNs) / (double) (bytes.length * perRound);
        System.out.printf(
                "%s: bytes allocated per round of %d empty polls %s, %.0f ns per poll%n",
                what, perRound, Arrays.toString(bytes), nsPerPoll);
        assertThat(zeroRounds).as("rounds of 0 bytes: %s", Arrays.toString(bytes)).isGreaterThan(5);
        for (long b : bytes) {
            assertThat(b).as("bytes per round of %d polls", perRound).isLessThan(perRound);
        }
    }

    /**
     * A poll that finds nothing queued skips liblsl's pull only once the stream is open: the first
     * poll of an inlet never opened is liblsl's, which subscribes it.
     */
    @Test
    void shouldSubscribeOnTheFirstPollOfAnInletNeverOpened() {
        String name = unique("unopened");
        try (Outlet outlet = markerOutlet(name);
                Inlet inlet =
                        new Inlet(
                                Resolver.byProperty("name", name, 1, RESOLVE_S).get(0),
                                InletConfig.defaults())) {
            String[] buf = new String[CHUNK];
            double[] ts = new double[CHUNK];
            assertThat(inlet.pullChunk(buf, ts, 0.0)).isZero();
            assertThat(outlet.waitForConsumers(RESOLVE_S)).as("subscribed by the poll").isTrue();
            outlet.pushChunk(new String[] {"cue"}, new double[] {3.0}, 1);
            int n = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (n == 0 && System.nanoTime() < deadline) {
                n = inlet.pullChunk(buf, ts, 0.0);
            }
            assertThat(n).isEqualTo(1);
            assertThat(buf[0]).isEqualTo("cue");
            assertThat(ts[0]).isEqualTo(3.0);
        }
    }

    @Test
    void shouldReceiveStringMarkersExactlyInOrderWithTheirStamps() {
        String name = unique("markers");
        String[] sent = {
            "left",
            "", // an empty marker
            "gauche \u00e9\u00e8 \u4e2d\u6587 \uD83D\uDE80", // 2-, 3- and 4-byte UTF-8
            "a\u0000b", // NUL inside (the *_buf functions carry lengths)
            "x".repeat(5000),
            "rest"
        };
        double[] sentStamps = {10.0, 10.125, 10.25, 10.5, 11.0, 12.75};
        try (Outlet outlet = markerOutlet(name);
                Inlet inlet = openInlet(name, true)) {
            assertThat(outlet.waitForConsumers(RESOLVE_S)).isTrue();
            // one chunk of several markers, then single ones
            outlet.pushChunk(Arrays.copyOf(sent, 4), Arrays.copyOf(sentStamps, 4), 4);
            outlet.pushChunk(new String[] {sent[4]}, new double[] {sentStamps[4]}, 1);
            outlet.pushChunk(new String[] {sent[5]}, new double[] {sentStamps[5]}, 1);
            List<String> texts = new ArrayList<>();
            List<Double> stamps = new ArrayList<>();
            String[] buf = new String[CHUNK];
            double[] ts = new double[CHUNK];
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (texts.size() < sent.length && System.nanoTime() < deadline) {
                int n = inlet.pullChunk(buf, ts, 0.0); // as the marker source polls
                for (int i = 0; i < n; i++) {
                    texts.add(buf[i]);
                    stamps.add(ts[i]);
                }
            }
            assertThat(texts).containsExactly(sent);
            assertThat(stamps)
                    .containsExactly(Arrays.stream(sentStamps).boxed().toArray(Double[]::new));
            assertThat(inlet.pullChunk(buf, ts, 0.0)).isZero();
        }
    }

    /**
     * Every string a pull receives is freed: liblsl mallocs each one and the inlet frees it with
     * lsl_destroy_string once copied. 2 million strings left behind would be 64 MiB or more of
     * glibc's heap. They come from a numeric stream pulled as text, whose outlet keeps no native
     * copies (a string outlet's would wait for the collector and blur the count).
     */
    @Test
    void shouldFreeEveryStringItReceives() {
        assumeTrue(GlibcHeap.available(), "glibc's mallinfo2");
        String name = unique("freed");
        int channels = 64;
        int chunk = 256;
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "EEG", channels, ChannelFormat.DOUBLE64)
                                        .nominalSrateHz(1000)
                                        .sourceId(name)
                                        .build());
                Inlet inlet = openInlet(name, true)) {
            assertThat(outlet.waitForConsumers(RESOLVE_S)).isTrue();
            double[] values = new double[chunk * channels];
            for (int i = 0; i < values.length; i++) {
                values[i] = i * 0.5;
            }
            String[] texts = new String[chunk * channels];
            transfer(outlet, inlet, values, texts, chunk, 16); // warm-up
            assertThat(Double.parseDouble(texts[3])).isEqualTo(1.5);
            long before = GlibcHeap.inUseBytes();
            transfer(outlet, inlet, values, texts, chunk, 128); // 2 097 152 strings
            long grown = GlibcHeap.inUseBytes() - before;
            System.out.printf(
                    "2 097 152 strings pulled: glibc heap in use %+d KiB%n", grown / 1024);
            assertThat(grown).as("bytes of glibc's heap still in use").isLessThan(16L << 20);
        }
    }

    /** Pushes {@code rounds} chunks and polls each in as strings, as a marker source polls. */
    private static void transfer(
            Outlet outlet, Inlet inlet, double[] values, String[] texts, int chunk, int rounds) {
        double[] stamps = new double[chunk];
        double[] ts = new double[chunk];
        for (int r = 0; r < rounds; r++) {
            outlet.pushChunk(values, stamps, chunk);
            int got = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got < chunk) {
                assertThat(System.nanoTime())
                        .as("chunk %d arrived in time", r)
                        .isLessThan(deadline);
                got += inlet.pullChunk(texts, ts, 0.0);
            }
            assertThat(got).isEqualTo(chunk);
        }
    }
}
