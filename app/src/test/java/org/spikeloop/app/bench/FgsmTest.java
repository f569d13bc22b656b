package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.BpttOptions;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.loss.ReadoutMse;
import org.spikeloop.signal.artifacts.ChannelScale;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

class FgsmTest {
    @Test
    void shouldStepEachValueByEpsilonSigmaInTheGradientsSign() {
        double[] x = {0, 1, 2, 10, 4, 30}; // 3 frames × 2 channels
        double[] g = {1, -2, 0, 3, -1e-9, 0};
        double[] d = Fgsm.perturbation(x, g, 3, 2, 0.5);
        double[] sd = ChannelScale.std(x, 3, 2);
        assertThat(d).containsExactly(0.5 * sd[0], -0.5 * sd[1], 0, 0.5 * sd[1], -0.5 * sd[0], 0);
    }

    @Test
    void shouldRaiseTheLossItWasCraftedOnToFirstOrder() {
        NetworkSpec spec =
                SpecJson.parse(
                        "{\"inputs\": 4, \"layers\": [{\"size\": 16}], \"readout\": {\"size\": 1}}");
        NetworkParams p = Initializer.initialise(spec, new InitSpec(2, 3.0, 1.0, 1.0));
        SplittableRandom rng = new SplittableRandom(3);
        int frames = 300;
        double[] x = new double[frames * 4];
        double[] y = new double[frames];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1 : 0;
        }
        for (int f = 0; f < frames; f++) {
            y[f] = Math.sin(f / 20.0);
        }
        Batch b = new Batch(x, 1, frames, 4, Map.of("y", new Tensor(new int[] {1, frames, 1}, y)));
        double[] g = Fgsm.gradient(spec, p, b, new ReadoutMse(1));
        double norm = 0;
        for (double v : g) {
            norm += Math.abs(v);
        }
        assertThat(norm).isPositive();
        // the crafted step raises the loss more than a random-sign step of the same size
        double[] d = Fgsm.perturbation(x, g, frames, 4, 0.3);
        double[] r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (rng.nextBoolean() ? 1 : -1) * Math.abs(d[i] == 0 ? d[i ^ 1] : d[i]);
        }
        double clean = loss(spec, p, x, y, frames, null);
        double crafted = loss(spec, p, x, y, frames, d);
        double random = loss(spec, p, x, y, frames, r);
        assertThat(crafted).isGreaterThan(clean).isGreaterThan(random);
    }

    private static double loss(
            NetworkSpec spec, NetworkParams p, double[] x, double[] y, int frames, double[] d) {
        double[] xd = x.clone();
        if (d != null) {
            for (int i = 0; i < xd.length; i++) {
                xd[i] += d[i];
            }
        }
        Batch b = new Batch(xd, 1, frames, 4, Map.of("y", new Tensor(new int[] {1, frames, 1}, y)));
        try (BpttEngine e =
                new BpttEngine(new BpttNetwork(spec), new BpttOptions(false, false, 1))) {
            return e.compute(p, b, List.of(new ReadoutMse(1))).loss();
        }
    }
}
