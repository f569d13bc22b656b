package org.spikeloop.app.bench;

import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.IntracorticalRig;

/**
 * Frames of the simulated intracortical rig for the decoding benchmark: spike counts per unit
 * summed over {@code stepsPerFrame} 1-kHz steps, and the hand velocity averaged over the same
 * steps. Generated once and replayed to every decoder, so all decoders see identical data.
 */
final class IntracorticalStream {
    final float[][] counts; // [frame][unit]
    final double[][] velocity; // [frame][2]

    private IntracorticalStream(float[][] counts, double[][] velocity) {
        this.counts = counts;
        this.velocity = velocity;
    }

    /**
     * Records {@code frames} frames from {@code rig}, applying {@code drift} with the time counted
     * from {@code startS}.
     */
    static IntracorticalStream record(
            IntracorticalRig rig,
            int frames,
            int stepsPerFrame,
            double dtS,
            double startS,
            DriftSchedule<IntracorticalRig> drift) {
        int units = rig.units();
        float[][] counts = new float[frames][units];
        double[][] velocity = new double[frames][2];
        float[] spikes = new float[units];
        double[] v = new double[2];
        long step = 0;
        for (int f = 0; f < frames; f++) {
            for (int s = 0; s < stepsPerFrame; s++) {
                drift.applyDue(startS + step * dtS, rig);
                rig.step(spikes, v);
                step++;
                for (int i = 0; i < units; i++) {
                    counts[f][i] += spikes[i];
                }
                velocity[f][0] += v[0] / stepsPerFrame;
                velocity[f][1] += v[1] / stepsPerFrame;
            }
        }
        return new IntracorticalStream(counts, velocity);
    }

    int frames() {
        return counts.length;
    }

    int units() {
        return counts[0].length;
    }

    /** Sums frames into bins of {@code framesPerBin}: counts summed, velocity averaged. */
    double[][][] bins(int framesPerBin) {
        int bins = counts.length / framesPerBin;
        double[][] z = new double[bins][units()];
        double[][] x = new double[bins][2];
        for (int b = 0; b < bins; b++) {
            for (int k = 0; k < framesPerBin; k++) {
                int f = b * framesPerBin + k;
                for (int i = 0; i < units(); i++) {
                    z[b][i] += counts[f][i];
                }
                x[b][0] += velocity[f][0] / framesPerBin;
                x[b][1] += velocity[f][1] / framesPerBin;
            }
        }
        return new double[][][] {z, x};
    }
}
