package org.spikeloop.app.demo;

import static org.spikeloop.snn.params.ParameterNames.READOUT_BIAS;
import static org.spikeloop.snn.params.ParameterNames.READOUT_WEIGHT;

import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import org.spikeloop.learn.readout.LeastSquaresReadout;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.kernel.LayerState;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

/**
 * Builds the demo's reference decoder in a few seconds: a 96→H→2 recurrent LIF network whose input
 * gain is chosen so the hidden layer fires at a moderate rate, and whose leaky readout is fitted in
 * closed form ({@link LeastSquaresReadout}) to hand velocity (m/s, the unit of the rig's kinematics
 * stream) on a calibration block: the first seconds of the same rig, fast-forwarded, the way a BCI
 * session starts with a calibration block.
 *
 * <p>Control plane: allocates; runs once before the real-time loop.
 */
final class DemoDecoder {
    private static final double[] INPUT_GAINS = {1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0};
    private static final double TARGET_RATE_LO_HZ = 8.0;

    private DemoDecoder() {}

    /**
     * @param rig the live rig; its first {@code calibrationS} seconds are consumed as the
     *     calibration block (modified)
     * @param neurons hidden LIF neurons
     * @param calibrationS seconds of simulated calibration data
     * @param seed seeds the weights (and a copy of the rig used to choose the input gain)
     */
    static FloatNetwork build(IntracorticalRig rig, int neurons, double calibrationS, long seed) {
        int units = rig.units();
        NetworkSpec spec = NetworkSpec.recurrent(units, neurons, 2, NeuronSpec.lif());
        NetworkParams params = null;
        for (double gain : INPUT_GAINS) {
            params = Initializer.initialise(spec, new InitSpec(seed, gain, 1.0, 1.0));
            if (meanRateHz(spec, params, units, seed) >= TARGET_RATE_LO_HZ) {
                break;
            }
        }
        FloatNetwork network = new FloatNetwork(spec, params);
        fitReadout(network, rig, calibrationS);
        return network;
    }

    private static double meanRateHz(NetworkSpec spec, NetworkParams params, int units, long seed) {
        FloatNetwork net = new FloatNetwork(spec, params);
        IntracorticalRig rig = new IntracorticalRig(rigConfig(units, seed + 1));
        float[] x = new float[units];
        float[] y = new float[2];
        double[] v = new double[2];
        LayerState hidden = net.layer(0);
        int steps = 2000;
        long spikes = 0;
        for (int t = 0; t < steps; t++) {
            rig.step(x, v);
            net.step(x, y);
            spikes += hidden.spikeCount();
        }
        return spikes / (hidden.size() * steps * spec.dtMs() / 1000.0);
    }

    private static void fitReadout(
            FloatNetwork network, IntracorticalRig rig, double calibrationS) {
        int units = rig.units();
        NetworkSpec spec = network.spec();
        int steps = (int) Math.round(calibrationS * 1000.0 / spec.dtMs());
        float kappa = (float) spec.readout().kappa(spec.dtMs());
        LayerState hidden = network.layer(0);
        int h = hidden.size();
        float[] x = new float[units];
        float[] y = new float[2];
        double[] v = new double[2];
        double[] trace = new double[h];
        double[][] traces = new double[steps][];
        double[][] targets = new double[steps][];
        for (int t = 0; t < steps; t++) {
            rig.step(x, v);
            network.step(x, y);
            for (int j = 0; j < h; j++) {
                trace[j] = kappa * trace[j] + (1.0 - kappa) * hidden.z(j);
            }
            traces[t] = trace.clone();
            targets[t] = new double[] {v[0], v[1]};
        }
        double[][] fit = LeastSquaresReadout.fit(traces, targets, 1e-4);
        NetworkParams p = network.exportParams();
        System.arraycopy(fit[0], 0, p.get(READOUT_WEIGHT).data(), 0, fit[0].length);
        System.arraycopy(fit[1], 0, p.get(READOUT_BIAS).data(), 0, fit[1].length);
        network.loadParams(p);
        network.reset();
    }

    static RigConfig rigConfig(int units, long seed) {
        RigConfig d = RigConfig.defaults(seed);
        return new RigConfig(
                units,
                d.dtMs(),
                d.baselineHz(),
                d.modulationHz(),
                d.reachRadiusM(),
                d.movementS(),
                seed);
    }
}
