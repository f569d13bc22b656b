package org.spikeloop.learn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.bptt.Gradients;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/** {@link Adam}: the previous per-name map semantics, now with moments bound once. */
class AdamTest {
    private static final NetworkSpec SPEC =
            SpecJson.parse(
                    "{\"inputs\": 3, \"layers\": [{\"size\": 4, \"recurrent\": true}],"
                            + " \"readout\": {\"size\": 2}}");
    private static final NetworkSpec OTHER =
            SpecJson.parse(
                    "{\"inputs\": 5, \"layers\": [{\"size\": 4, \"recurrent\": true}],"
                            + " \"readout\": {\"size\": 2}}");

    private static NetworkParams randomParams(long seed) {
        NetworkParams p = NetworkParams.zeros(SPEC);
        fill(p.asMap(), new SplittableRandom(seed), 1.0);
        return p;
    }

    private static Gradients randomGradients(SplittableRandom rng, double scale) {
        Gradients g = new Gradients(SPEC);
        fill(g.asMap(), rng, scale);
        return g;
    }

    private static void fill(Map<String, Tensor> tensors, SplittableRandom rng, double scale) {
        for (Tensor t : tensors.values()) {
            double[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (rng.nextDouble() * 2.0 - 1.0) * scale;
            }
        }
    }

    /** The class as it was: moments found by name (computeIfAbsent) at every step. */
    private static final class MapAdam {
        final Map<String, double[]> m = new HashMap<>();
        final Map<String, double[]> v = new HashMap<>();
        int t;

        void step(NetworkParams params, Gradients grads, Set<String> frozen) {
            t++;
            double c1 = 1.0 - Math.pow(0.8, t);
            double c2 = 1.0 - Math.pow(0.99, t);
            for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
                if (frozen.contains(e.getKey())) {
                    continue;
                }
                double[] p = e.getValue().data();
                double[] g = grads.get(e.getKey()).data();
                double[] mm = m.computeIfAbsent(e.getKey(), k -> new double[p.length]);
                double[] vv = v.computeIfAbsent(e.getKey(), k -> new double[p.length]);
                for (int i = 0; i < p.length; i++) {
                    mm[i] = 0.8 * mm[i] + (1.0 - 0.8) * g[i];
                    vv[i] = 0.99 * vv[i] + (1.0 - 0.99) * g[i] * g[i];
                    p[i] -= 1e-2 * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + 1e-6);
                }
            }
        }
    }

    @Test
    void shouldMatchThePreviousMapBasedAdamBitForBit() {
        NetworkParams a = randomParams(1);
        NetworkParams b = a.copy();
        Adam adam = new Adam(1e-2, 0.8, 0.99, 1e-6);
        MapAdam old = new MapAdam();
        SplittableRandom rng = new SplittableRandom(2);
        // A parameter frozen in the first steps gets its moments only when it is first trained.
        List<Set<String>> frozen =
                List.of(
                        Set.of("layer0.bias"),
                        Set.of("layer0.bias"),
                        Set.of(),
                        Set.of("readout.w_out"));
        for (int step = 0; step < 12; step++) {
            Gradients g = randomGradients(rng, step + 1.0);
            Set<String> f = frozen.get(step % frozen.size());
            adam.step(a, g, f);
            old.step(b, g, f);
        }
        for (String name : a.names()) {
            assertThat(a.get(name).data()).as(name).containsExactly(b.get(name).data());
        }
        assertThat(a.get("layer0.w_in").data())
                .isNotEqualTo(randomParams(1).get("layer0.w_in").data());
    }

    /** A new parameter set (e.g. a copy) keeps the moments of the names it shares. */
    @Test
    void shouldKeepTheMomentsOfKnownNamesWhenStepsMoveToAnotherParameterSet() {
        NetworkParams a = randomParams(3);
        NetworkParams b = a.copy();
        Adam adam = new Adam(1e-2, 0.8, 0.99, 1e-6);
        MapAdam old = new MapAdam();
        SplittableRandom rng = new SplittableRandom(4);
        for (int step = 0; step < 3; step++) {
            Gradients g = randomGradients(rng, 1.0);
            adam.step(a, g, Set.of());
            old.step(b, g, Set.of());
        }
        NetworkParams moved = a.copy();
        Gradients g = randomGradients(rng, 1.0);
        adam.step(moved, g, Set.of());
        old.step(b, g, Set.of());
        for (String name : moved.names()) {
            assertThat(moved.get(name).data()).as(name).containsExactly(b.get(name).data());
        }
    }

    @Test
    void shouldRejectAParameterWhoseSizeDiffersFromItsMoments() {
        Adam adam = Adam.withLearningRate(1e-3);
        adam.step(randomParams(5), randomGradients(new SplittableRandom(6), 1.0), Set.of());
        NetworkParams other = NetworkParams.zeros(OTHER);
        assertThatThrownBy(() -> adam.step(other, new Gradients(OTHER), Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer0.w_in has 20 values but its moments were made for 12");
    }

    @Test
    void shouldAllocateNothingPerStepAfterTheFirst() {
        NetworkParams p = randomParams(7);
        Gradients g = randomGradients(new SplittableRandom(8), 1e-3);
        Set<String> frozen = Set.of("layer0.threshold");
        Adam adam = Adam.withLearningRate(1e-4);
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // The first round binds. A JIT transition (a deoptimisation re-materialising objects that
        // escape analysis had removed, as other tests change the call sites' profiles) allocates a
        // few hundred bytes once, in any round; an allocation per step shows in every round. So
        // the quietest of ten rounds of 2000 steps must be 0 B.
        long quietest = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int step = 0; step < 2000; step++) {
                adam.step(p, g, frozen);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round > 0) {
                quietest = Math.min(quietest, allocated);
            }
        }
        assertThat(quietest).as("bytes over 2000 Adam steps, quietest round").isZero();
    }

    @Test
    void shouldScaleTheLearningRateForTheFollowingSteps() {
        NetworkParams a = randomParams(1);
        NetworkParams b = a.copy();
        Gradients g = randomGradients(new SplittableRandom(2), 0.1);
        Adam half = Adam.withLearningRate(0.02);
        half.learningRateScale(0.5);
        Adam reference = Adam.withLearningRate(0.01);
        half.step(a, g, Set.of());
        reference.step(b, g, Set.of());
        for (String name : a.names()) {
            assertThat(a.get(name).data()).containsExactly(b.get(name).data());
        }
        assertThatThrownBy(() -> half.learningRateScale(0))
                .hasMessageContaining("learning-rate scale must be in (0, 1]");
    }
}
