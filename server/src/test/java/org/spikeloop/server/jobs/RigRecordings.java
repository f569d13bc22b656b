package org.spikeloop.server.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import org.spikeloop.adapters.xdf.XdfWriter;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/** XDF recordings of the simulated intracortical rig (spikes + hand velocity) for job tests. */
public final class RigRecordings {
    public static final String SPIKES = "rig-spikes";
    public static final String KINEMATICS = "rig-kinematics";
    public static final int UNITS = 16;

    /** Labels are velocity × this, so targets are O(1) for the readout. */
    public static final double LABEL_SCALE = 10.0;

    private RigRecordings() {}

    public static NetworkSpec spec() {
        return new NetworkSpec(
                1.0,
                UNITS,
                null,
                List.of(new LayerSpec(32, true, NeuronSpec.lif())),
                ReadoutSpec.leaky(2));
    }

    /**
     * Registers a seeded, untrained checkpoint of {@link #spec} as session s1's starting point
     * (lineage kind {@code init}, by {@code tester}).
     */
    public static RegistryEntry registerStart(CheckpointRegistry registry) throws Exception {
        return registry.register(
                Checkpoint.create(
                        spec(),
                        Initializer.initialise(spec(), InitSpec.seeded(1)),
                        Provenance.now("tester", "init")),
                new Lineage("s1", "init", null, "", DataRange.none(), "tester"));
    }

    /**
     * Records {@code seconds} of the rig at 1 kHz from stamp {@code startS}.
     *
     * @param rotateDeg preferred directions rotated by this before recording (drift), 0 for none
     * @param withLabels false: no kinematics stream
     * @param channels spikes stream width written (UNITS for a matching recording)
     */
    public static void write(
            Path file,
            double seconds,
            double startS,
            long seed,
            double rotateDeg,
            boolean withLabels,
            int channels)
            throws IOException {
        write(file, seconds, startS, seed, rotateDeg, withLabels, channels, LABEL_SCALE);
    }

    private static void write(
            Path file,
            double seconds,
            double startS,
            long seed,
            double rotateDeg,
            boolean withLabels,
            int channels,
            double labelScale)
            throws IOException {
        IntracorticalRig rig =
                new IntracorticalRig(new RigConfig(UNITS, 1.0, 10.0, 60.0, 0.1, 1.0, seed));
        if (rotateDeg != 0) {
            rig.rotatePreferredDirections(rotateDeg);
        }
        int n = (int) Math.round(seconds * 1000);
        int chunk = 100;
        try (XdfWriter w = new XdfWriter(file)) {
            w.streamHeader(
                    1,
                    StreamInfo.builder(SPIKES, "Spikes", channels, ChannelFormat.FLOAT32)
                            .nominalSrateHz(1000)
                            .build());
            if (withLabels) {
                w.streamHeader(
                        2,
                        StreamInfo.builder(KINEMATICS, "Kinematics", 2, ChannelFormat.DOUBLE64)
                                .nominalSrateHz(1000)
                                .build());
            }
            float[] spikes = new float[UNITS];
            double[] vel = new double[2];
            float[] sBuf = new float[chunk * channels];
            double[] vBuf = new double[chunk * 2];
            double[] stamps = new double[chunk];
            for (int i = 0; i < n; i += chunk) {
                for (int k = 0; k < chunk; k++) {
                    rig.step(spikes, vel);
                    for (int c = 0; c < channels; c++) {
                        sBuf[k * channels + c] = c < UNITS ? spikes[c] : 0f;
                    }
                    vBuf[2 * k] = vel[0] * labelScale;
                    vBuf[2 * k + 1] = vel[1] * labelScale;
                    stamps[k] = startS + (i + k) / 1000.0;
                }
                w.samples(1, sBuf, stamps, chunk);
                if (withLabels) {
                    w.samples(2, vBuf, stamps, chunk);
                }
            }
            w.streamFooters();
        }
    }

    /** A matching labelled recording. */
    public static void write(Path file, double seconds, long seed, double rotateDeg)
            throws IOException {
        write(file, seconds, 1000.0, seed, rotateDeg, true, UNITS);
    }

    /** A recording whose labels are all zero (nothing to learn). */
    public static void writeConstantLabels(Path file, double seconds, long seed)
            throws IOException {
        write(file, seconds, 1000.0, seed, 0, true, UNITS, 0.0);
    }
}
