package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an LSL source's idle poll costs: {@link Inlet#pullChunk(float[], double[], double)} with a
 * 256-sample × 96-channel buffer on a connected inlet whose outlet sends nothing (every poll
 * between two 1 kHz samples), through the native buffers the inlet keeps ({@code nativeBuffers}),
 * and, for comparison, the same liblsl call through the JNA array binding {@code Inlet} used before
 * ({@code arrayBinding}: both arrays copied to C and back, NativeLong boxing). Run with {@code
 * -prof gc} for the allocation per poll. It sits in the adapters' package (in this module) to reach
 * the package-private array binding; it needs liblsl (the launcher's virtualenv or {@code
 * SPIKELOOP_LIBLSL}) and {@code LSLAPICFG=ops/lsl/lsl_api.cfg}.
 *
 * <p>The same for a marker source's poll of a silent one-channel string stream into 64 slots:
 * {@code stringPoll} ({@code Inlet.pullChunk(String[], ...)} with recovery on, as the server's
 * inlets: nothing queued, no liblsl pull), {@code stringPollThroughLiblsl} (recovery off: every
 * poll calls {@code lsl_pull_chunk_buf} through {@link LslChunkNative}) and {@code
 * stringArrayBinding} (the call through {@link LslNative}, {@code NativeLong} result, as {@code
 * Inlet} made it before).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LslPollBenchmark {
    private static final int CHANNELS = 96;
    private static final int CHUNK = 256;
    private static final int MARKERS = 64;

    private final float[] data = new float[CHUNK * CHANNELS];
    private final double[] stamps = new double[CHUNK];
    private final NativeLong dataElements = new NativeLong((long) CHUNK * CHANNELS);
    private final NativeLong stampElements = new NativeLong(CHUNK);
    private final int[] ec = new int[1];
    private final String[] texts = new String[MARKERS];
    private final double[] markerStamps = new double[MARKERS];
    private final Memory slots = new Memory((long) MARKERS * Long.BYTES);
    private final int[] lengths = new int[MARKERS];
    private final NativeLong markerElements = new NativeLong(MARKERS);
    private Outlet outlet;
    private Inlet inlet;
    private Outlet markerOutlet;
    private Inlet markerInlet;
    private Inlet markerInletNoRecovery;

    @Setup(Level.Trial)
    public void setUp() {
        outlet = BenchStreams.floatOutlet("poll-bench-", "Spikes", CHANNELS);
        inlet = BenchStreams.connectedInlet(outlet);
        String markers = "poll-bench-markers-" + UUID.randomUUID();
        markerOutlet =
                new Outlet(
                        StreamInfo.builder(markers, "Markers", 1, ChannelFormat.STRING)
                                .sourceId(markers)
                                .build());
        markerInlet = new Inlet(markerOutlet.info(), InletConfig.defaults());
        markerInlet.open(5.0);
        markerInletNoRecovery =
                new Inlet(markerOutlet.info(), new InletConfig(360, 0, false, PostProcessing.NONE));
        markerInletNoRecovery.open(5.0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        inlet.close();
        outlet.close();
        markerInlet.close();
        markerInletNoRecovery.close();
        markerOutlet.close();
    }

    @Benchmark
    public int nativeBuffers() {
        return inlet.pullChunk(data, stamps, 0.0);
    }

    @Benchmark
    public long arrayBinding() {
        return LslNative.lsl_pull_chunk_f(
                        inlet.handle(), data, stamps, dataElements, stampElements, 0.0, ec)
                .longValue();
    }

    @Benchmark
    public int stringPoll() {
        return markerInlet.pullChunk(texts, markerStamps, 0.0);
    }

    @Benchmark
    public int stringPollThroughLiblsl() {
        return markerInletNoRecovery.pullChunk(texts, markerStamps, 0.0);
    }

    /**
     * The old call, and the frees it owed (on an empty poll liblsl 1.18 fills no slot, up to 1.17
     * all 64).
     */
    @Benchmark
    public long stringArrayBinding() {
        slots.clear();
        long n =
                LslNative.lsl_pull_chunk_buf(
                                markerInletNoRecovery.handle(),
                                slots,
                                lengths,
                                markerStamps,
                                markerElements,
                                markerElements,
                                0.0,
                                ec)
                        .longValue();
        for (int i = 0; i < MARKERS; i++) {
            long s = slots.getLong((long) i * Long.BYTES);
            if (s != 0) {
                LslChunkNative.lsl_destroy_string(s);
            }
        }
        return n;
    }
}
