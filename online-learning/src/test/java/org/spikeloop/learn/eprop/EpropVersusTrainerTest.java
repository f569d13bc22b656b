package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spikeloop.learn.eprop.EpropFixtures.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.BpttOptions;
import org.spikeloop.learn.bptt.GradientResult;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.loss.ReadoutCrossEntropy;
import org.spikeloop.learn.loss.ReadoutMse;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

/**
 * e-prop's gradient against the SG-BPTT trainer (org.spikeloop.learn.bptt), float64, to 1e-9
 * relative: (i) no recurrent weights and the reset detached → exact BPTT; (ii) recurrence with the
 * trainer's {@code stopRecurrentGradient} (e-prop via autodiff). The trainer's MSE is the mean over
 * T·O without the ½, so its gradient is 2/(T·O) times e-prop's E = ½·Σ(y − y*)².
 */
class EpropVersusTrainerTest {
    private static final int T = 90;

    @ParameterizedTest
    @CsvSource({
        "LIF, false, true, false", "ALIF, false, true, false",
        "LIF, true, false, true", "ALIF, true, false, true"
    })
    void shouldEqualTheTrainersGradient(
            String model, boolean recurrent, boolean detachReset, boolean stopRecurrent) {
        NeuronSpec n =
                (model.equals("ALIF") ? NeuronSpec.alif() : NeuronSpec.lif())
                        .withAdaptation(60.0, 0.4)
                        .withRefractorySteps(2);
        NetworkSpec spec = spec(7, 12, 2, recurrent, n);
        NetworkParams p = params(spec, 71, 2.0, recurrent ? 1.0 : 0.0);
        double[][] x = poisson(T, 7, 0.25, 72);
        double[][] y = sines(T, 2, 73);

        double[] flatX = new double[T * 7];
        double[] flatY = new double[T * 2];
        for (int t = 0; t < T; t++) {
            System.arraycopy(x[t], 0, flatX, t * 7, 7);
            System.arraycopy(y[t], 0, flatY, t * 2, 2);
        }
        Batch batch =
                new Batch(flatX, 1, T, 7, Map.of("y", new Tensor(new int[] {1, T, 2}, flatY)));
        Map<String, double[]> trainer = new LinkedHashMap<>();
        try (BpttEngine engine =
                new BpttEngine(
                        new BpttNetwork(spec), new BpttOptions(detachReset, stopRecurrent, 1))) {
            GradientResult r = engine.compute(p, batch, List.of(new ReadoutMse(2)));
            double toEprop = T * 2 / 2.0; // undo 2/(T·O)
            for (String name :
                    new EpropReference(spec, p, EpropConfig.builder().build())
                            .gradients()
                            .keySet()) {
                double[] g = r.gradients().get(name).data().clone();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= toEprop;
                }
                trainer.put(name, g);
            }
        }
        for (Map.Entry<String, double[]> e : trainer.entrySet()) {
            double max = 0.0;
            for (double d : e.getValue()) {
                assertThat(Double.isFinite(d)).as(e.getKey() + " finite").isTrue();
                max = Math.max(max, Math.abs(d));
            }
            assertThat(max).as(e.getKey() + " non-zero").isGreaterThan(1e-6);
        }
        EpropReference ep = new EpropReference(spec, p, EpropConfig.builder().build());
        for (int t = 0; t < T; t++) {
            ep.step(x[t], y[t]);
        }
        Map<String, double[]> eprop = ep.gradients();
        for (String name : trainer.keySet()) {
            assertThat(relativeError(eprop, trainer, name)).as(name).isLessThan(1e-9);
        }
    }

    /**
     * Classification: e-prop's per-step cross-entropy E = Σ_{t∈W} −log softmax(y_t)[c], learned
     * only inside the window W, against the trainer's {@code readout_ce} with {@code average: step}
     * and the same window as its mask, L = E/|W| for one sample.
     */
    @ParameterizedTest
    @CsvSource({
        "LIF, false, true, false", "ALIF, false, true, false",
        "LIF, true, false, true", "ALIF, true, false, true"
    })
    void shouldEqualTheTrainersCrossEntropyGradientInsideAWindow(
            String model, boolean recurrent, boolean detachReset, boolean stopRecurrent) {
        NeuronSpec n =
                (model.equals("ALIF") ? NeuronSpec.alif() : NeuronSpec.lif())
                        .withAdaptation(60.0, 0.4)
                        .withRefractorySteps(2);
        NetworkSpec spec = spec(7, 12, 3, recurrent, n);
        NetworkParams p = params(spec, 81, 2.0, recurrent ? 1.0 : 0.0);
        double[][] x = poisson(T, 7, 0.25, 82);
        int from = 25;
        int to = 75;
        int cls = 1;
        double[] flatX = new double[T * 7];
        double[] mask = new double[T];
        for (int t = 0; t < T; t++) {
            System.arraycopy(x[t], 0, flatX, t * 7, 7);
            mask[t] = t >= from && t < to ? 1 : 0;
        }
        Batch batch =
                new Batch(
                        flatX,
                        1,
                        T,
                        7,
                        Map.of(
                                "label", new Tensor(new int[] {1}, new double[] {cls}),
                                "mask", new Tensor(new int[] {1, T}, mask)));
        EpropConfig ce = EpropConfig.builder().loss(ReadoutLoss.SOFTMAX_CROSS_ENTROPY).build();
        Map<String, double[]> trainer = new LinkedHashMap<>();
        try (BpttEngine engine =
                new BpttEngine(
                        new BpttNetwork(spec), new BpttOptions(detachReset, stopRecurrent, 1))) {
            GradientResult r =
                    engine.compute(
                            p,
                            batch,
                            List.of(new ReadoutCrossEntropy(3, ReadoutCrossEntropy.Average.STEP)));
            for (String name : new EpropReference(spec, p, ce).gradients().keySet()) {
                double[] g = r.gradients().get(name).data().clone();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= to - from; // undo the window mean
                }
                trainer.put(name, g);
            }
        }
        for (Map.Entry<String, double[]> e : trainer.entrySet()) {
            double max = 0.0;
            for (double d : e.getValue()) {
                assertThat(Double.isFinite(d)).as(e.getKey() + " finite").isTrue();
                max = Math.max(max, Math.abs(d));
            }
            assertThat(max).as(e.getKey() + " non-zero").isGreaterThan(1e-6);
        }
        EpropReference ep = new EpropReference(spec, p, ce);
        double[] onehot = new double[3];
        onehot[cls] = 1;
        for (int t = 0; t < T; t++) {
            ep.step(x[t], mask[t] == 1 ? onehot : null);
        }
        Map<String, double[]> eprop = ep.gradients();
        for (String name : trainer.keySet()) {
            assertThat(relativeError(eprop, trainer, name)).as(name).isLessThan(1e-9);
        }
    }
}
