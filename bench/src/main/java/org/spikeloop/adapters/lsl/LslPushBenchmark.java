package org.spikeloop.adapters.lsl;

import com.sun.jna.NativeLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one float push costs its thread: one sample of {@code channels} values from the front of a
 * 64-sample buffer (the session outlet agent's chunk buffer; 96 channels is a rig's sample, 2 a
 * decoded frame), to a connected inlet that drains it now and then. {@code nativeBuffers} is {@link
 * Outlet#pushChunk(float[], double[], int)} (only the sample copied into the outlet's native
 * memory); {@code arrayBinding} the same liblsl call through {@link LslNative}'s array binding
 * (both whole arrays copied to C and back by JNA, as outlets pushed before). Run with {@code -prof
 * gc} for the allocation. It sits in the adapters' package (in this module) to reach the
 * package-private binding; it needs liblsl (the launcher's virtualenv or {@code SPIKELOOP_LIBLSL})
 * and {@code LSLAPICFG=ops/lsl/lsl_api.cfg}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LslPushBenchmark {
    private static final int BUFFER_SAMPLES = 64;

    @Param({"96", "2"})
    int channels;

    private float[] data;
    private final double[] stamps = new double[BUFFER_SAMPLES];
    private float[] drained;
    private final double[] drainedStamps = new double[4096];
    private NativeLong elements;
    private Outlet outlet;
    private Inlet inlet;
    private int pushes;

    @Setup(Level.Trial)
    public void setUp() {
        data = new float[BUFFER_SAMPLES * channels];
        drained = new float[4096 * channels];
        elements = new NativeLong(channels);
        outlet = BenchStreams.floatOutlet("push-bench-", "Decoded", channels);
        inlet = BenchStreams.connectedInlet(outlet);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        inlet.close();
        outlet.close();
    }

    /** Every 1 024 pushes the inlet takes what arrived, so liblsl's queue stays short. */
    private void drainNowAndThen() {
        if ((++pushes & 1023) == 0) {
            while (inlet.pullChunk(drained, drainedStamps, 0.0) > 0) {
                // empty the queue
            }
        }
    }

    @Benchmark
    public void nativeBuffers() {
        stamps[0] += 0.001;
        outlet.pushChunk(data, stamps, 1);
        drainNowAndThen();
    }

    @Benchmark
    public int arrayBinding() {
        stamps[0] += 0.001;
        int ec = LslNative.lsl_push_chunk_ftnp(outlet.handle(), data, elements, stamps, 1);
        drainNowAndThen();
        return ec;
    }
}
