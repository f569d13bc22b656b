package org.spikeloop.learn.eprop;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.NpzData;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.learn.loss.ReadoutMse;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.ParamsNpz;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * {@code spikeloop grad --eprop}: the e-prop gradient (Bellec et al. 2020, Methods eqs. (13)–(28),
 * symmetric feedback, float64 {@link EpropReference}) of a {@code grad} job's {@code readout_mse}
 * objective, written as {@code .npz} in the same layout and the same loss convention as {@code
 * spikeloop grad}: {@code loss}, {@code loss.readout_mse} (mean over B·T·O of (y − y*)², so the
 * forward is BPTT's) and one float64 array per parameter e-prop learns ({@code layer0.w_in}, {@code
 * layer0.w_rec}, {@code layer0.bias}, {@code readout.w_out}, {@code readout.bias}, each in its
 * parameter's shape). e-prop's sum Σ_t L_j·ē_ji is the gradient of ½·Σ(y − y*)², so it is scaled by
 * 2/(B·T·O) to be comparable name by name with BPTT's; it equals BPTT's with {@code
 * stopRecurrentGradient} (gradient stopped through z_{t−1}). Thresholds and reset offsets are not
 * learned by e-prop and are not written.
 *
 * <p>Each sample starts from the zero state; gradients are summed over the batch. The job's {@code
 * options} (BPTT's) and {@code training} are not used.
 */
public final class EpropGradientJob {
    private EpropGradientJob() {}

    /** The loss and gradients that were written. */
    public record Result(double loss, Map<String, double[]> gradients) {}

    /**
     * @throws IllegalArgumentException naming the unsupported field ({@code network.conv}, {@code
     *     network.layers}, {@code network.layers[0].neuron.model}, {@code network.readout.type},
     *     {@code loss.name}, {@code regularisers}) or the bad input
     */
    public static Result run(JobConfig config, Path params, Path data, Path out) {
        require(config);
        NetworkParams p = ParamsNpz.read(params, config.spec());
        Batch batch = NpzData.read(data);
        List<ObjectiveTerm> terms = config.objective();
        terms.get(0).check(batch, batch.frames());
        int steps = batch.frames();
        int inputs = config.spec().inputs();
        if (batch.channels() != inputs) {
            throw new IllegalArgumentException(
                    "x has " + batch.channels() + " channels, network.inputs is " + inputs);
        }
        int outputs = config.spec().outputs();
        double[] y = batch.target("y").data();
        EpropReference ref = new EpropReference(config.spec(), p, EpropConfig.builder().build());
        double[] frame = new double[inputs];
        double[] target = new double[outputs];
        for (int b = 0; b < batch.size(); b++) {
            ref.resetState();
            for (int t = 0; t < steps; t++) {
                System.arraycopy(batch.x(), batch.offset(b, t), frame, 0, inputs);
                System.arraycopy(y, (b * steps + t) * outputs, target, 0, outputs);
                ref.step(frame, target);
            }
        }
        double n = (double) batch.size() * steps * outputs;
        double scale = 2.0 / n; // d/dθ of mean (y − y*)² = 2/n · d/dθ of ½·Σ (y − y*)²
        Map<String, double[]> grads = ref.gradients();
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : grads.entrySet()) {
            double[] g = e.getValue();
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
            arrays.put(e.getKey(), new Tensor(p.get(e.getKey()).shape(), g));
        }
        double loss = ref.loss() * scale; // ref.loss() = ½·Σ (y − y*)²
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("loss", loss);
        scalars.put("loss.readout_mse", loss);
        ParamsNpz.write(out, arrays, scalars);
        return new Result(loss, grads);
    }

    /** The supported case: one LIF/ALIF layer, leaky readout, readout_mse, no regularisers. */
    private static void require(JobConfig config) {
        try {
            EpropArchitecture.require(config.spec(), false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("network." + e.getMessage(), e);
        }
        List<ObjectiveTerm> terms = config.objective();
        if (!(terms.get(0) instanceof ReadoutMse)) {
            throw new IllegalArgumentException(
                    "loss.name: grad --eprop supports readout_mse (e-prop's regression signal),"
                            + " got "
                            + terms.get(0).name());
        }
        if (terms.size() > 1) {
            throw new IllegalArgumentException(
                    "regularisers: grad --eprop computes the loss gradient only, got "
                            + (terms.size() - 1)
                            + " regulariser(s)");
        }
    }
}
