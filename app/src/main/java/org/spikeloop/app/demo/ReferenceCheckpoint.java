package org.spikeloop.app.demo;

import java.nio.file.Files;
import java.util.Locale;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.session.CheckpointStore;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.CheckpointException;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.kernel.FloatNetwork;

/**
 * The demo session's pre-trained reference checkpoint in the server's checkpoint directory: reused
 * when a valid file of the same name exists, otherwise calibrated by {@link DemoDecoder} (a few
 * seconds) and written. The name encodes everything the calibration depends on (units, hidden size,
 * seed, calibration length), so a different setting never picks up a stale file.
 *
 * <p>Control plane; allocates; blocking file I/O.
 */
public final class ReferenceCheckpoint {
    /**
     * What {@link #loadOrCalibrate} did.
     *
     * @param name the checkpoint's file name in the checkpoint directory ({@code
     *     CreateSession.decoder.checkpoint})
     * @param contentId its content id
     * @param reused whether a valid file was there already
     * @param seconds how long it took
     */
    public record Result(String name, String contentId, boolean reused, double seconds) {}

    private ReferenceCheckpoint() {}

    static String name(int units, int neurons, long seed, double calibrationS) {
        return String.format(
                Locale.ROOT,
                "demo-reference-u%d-h%d-seed%d-cal%.0f.ckpt",
                units,
                neurons,
                seed,
                calibrationS);
    }

    /**
     * @param store the server's checkpoint directory
     * @throws ServerException INTERNAL if a new checkpoint cannot be written
     */
    public static Result loadOrCalibrate(
            CheckpointStore store, int units, int neurons, long seed, double calibrationS) {
        long t0 = System.nanoTime();
        String name = name(units, neurons, seed, calibrationS);
        if (Files.isRegularFile(store.resolve("checkpoint", name))) {
            try {
                Checkpoint existing = store.read("checkpoint", name, null);
                if (existing.spec().inputs() == units && existing.spec().outputs() == 2) {
                    return new Result(name, existing.contentId(), true, seconds(t0));
                }
            } catch (ServerException unreadable) {
                // A corrupt or foreign file under our name: calibrate afresh and replace it.
            }
        }
        IntracorticalRig rig = new IntracorticalRig(DemoDecoder.rigConfig(units, seed));
        FloatNetwork network = DemoDecoder.build(rig, neurons, calibrationS, seed);
        Checkpoint checkpoint;
        try {
            checkpoint =
                    Checkpoint.create(
                            network.spec(),
                            network.exportParams(),
                            Provenance.now(
                                            "spikeloop demo",
                                            String.format(
                                                    Locale.ROOT,
                                                    "calibration: simulated intracortical rig"
                                                            + " seed=%d, %.0f s, least-squares"
                                                            + " readout",
                                                    seed,
                                                    calibrationS))
                                    .withNotes("readout outputs hand velocity vx, vy in m/s"));
        } catch (CheckpointException e) {
            throw new IllegalStateException("calibrated weights are not a valid checkpoint", e);
        }
        store.write("checkpoint", name, checkpoint);
        return new Result(name, checkpoint.contentId(), false, seconds(t0));
    }

    /**
     * The simulated rig the reference is calibrated on ({@code seed}), advanced past its first
     * {@code calibrationS} seconds: the live data that follows the calibration block, so a session
     * decodes what the readout was not fitted on.
     */
    public static IntracorticalRig rigAfterCalibration(int units, long seed, double calibrationS) {
        RigConfig config = DemoDecoder.rigConfig(units, seed);
        IntracorticalRig rig = new IntracorticalRig(config);
        float[] x = new float[units];
        double[] v = new double[2];
        long steps = Math.round(calibrationS * 1000.0 / config.dtMs());
        for (long i = 0; i < steps; i++) {
            rig.step(x, v);
        }
        return rig;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
