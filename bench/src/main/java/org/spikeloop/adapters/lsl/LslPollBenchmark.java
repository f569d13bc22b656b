package org.spikeloop.adapters.lsl;

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

    private final float[] data = new float[CHUNK * CHANNELS];
    private final double[] stamps = new double[CHUNK];
    private final NativeLong dataElements = new NativeLong((long) CHUNK * CHANNELS);
    private final NativeLong stampElements = new NativeLong(CHUNK);
    private final int[] ec = new int[1];
    private Outlet outlet;
    private Inlet inlet;

    @Setup(Level.Trial)
    public void setUp() {
        String name = "poll-bench-" + UUID.randomUUID();
        outlet =
                new Outlet(
                        StreamInfo.builder(name, "Spikes", CHANNELS, ChannelFormat.FLOAT32)
                                .nominalSrateHz(1000)
                                .sourceId(name)
                                .build());
        inlet = new Inlet(outlet.info(), InletConfig.defaults());
        inlet.open(5.0);
        if (!outlet.waitForConsumers(5.0)) {
            throw new IllegalStateException("the inlet did not connect to the outlet");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        inlet.close();
        outlet.close();
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
}
