package org.spikeloop.snn.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class InitializerTest {

    @Test
    void shouldEstimateSpectralRadiusOfKnownMatrices() {
        // Rotation by 90° scaled by 0.7: complex eigenvalues ±0.7i, radius 0.7.
        double[] rotation = {0.0, -0.7, 0.7, 0.0};
        // Upper-triangular with eigenvalues 2 and −0.5.
        double[] triangular = {2.0, 1.0, 0.0, -0.5};

        assertThat(Initializer.spectralRadius(rotation, 2, new SplittableRandom(3)))
                .isCloseTo(0.7, within(1e-9));
        assertThat(Initializer.spectralRadius(triangular, 2, new SplittableRandom(3)))
                .isCloseTo(2.0, within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 1.2})
    void shouldScaleRecurrentWeightsToTheChosenSpectralRadius(double radius) {
        NetworkSpec spec = NetworkSpec.recurrent(10, 64, 2, NeuronSpec.lif());
        NetworkParams p = Initializer.initialise(spec, new InitSpec(7, 1.0, radius, 1.0));
        double[] w = p.get("layer0.w_rec").data();

        assertThat(Initializer.spectralRadius(w, 64, new SplittableRandom(99)))
                .isCloseTo(radius, within(0.02 * radius));
        for (int i = 0; i < 64; i++) {
            assertThat(w[i * 64 + i]).isZero();
        }
    }

    @Test
    void shouldBeDeterministicForASeedAndDifferAcrossSeeds() {
        NetworkSpec spec = NetworkSpec.recurrent(10, 16, 2, NeuronSpec.alif());
        double[] a = Initializer.initialise(spec, InitSpec.seeded(42)).get("layer0.w_in").data();
        double[] b = Initializer.initialise(spec, InitSpec.seeded(42)).get("layer0.w_in").data();
        double[] c = Initializer.initialise(spec, InitSpec.seeded(43)).get("layer0.w_in").data();

        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void shouldDrawInputWeightsWithStdOneOverSqrtFanIn() {
        NetworkSpec spec = NetworkSpec.recurrent(400, 300, 2, NeuronSpec.lif());
        double[] w = Initializer.initialise(spec, InitSpec.seeded(5)).get("layer0.w_in").data();
        double sumSq = 0.0;
        for (double v : w) {
            sumSq += v * v;
        }

        assertThat(Math.sqrt(sumSq / w.length)).isCloseTo(1.0 / Math.sqrt(400), within(0.002));
    }

    @Test
    void shouldEstimateANegativeDominantEigenvalueOfAKnownMatrix() {
        // Similar to diag(−3, 1, 0.5) via a permutation-and-shear basis; eigenvalues −3, 1, 0.5.
        // A = P D P^{-1} with P = [[1,1,0],[0,1,1],[0,0,1]]; P^{-1} = [[1,−1,1],[0,1,−1],[0,0,1]].
        double[] p = {1, 1, 0, 0, 1, 1, 0, 0, 1};
        double[] pInv = {1, -1, 1, 0, 1, -1, 0, 0, 1};
        double[] d = {-3, 1, 0.5};
        double[] a = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    a[i * 3 + j] += p[i * 3 + k] * d[k] * pInv[k * 3 + j];
                }
            }
        }

        assertThat(Initializer.spectralRadius(a, 3, new SplittableRandom(11)))
                .isCloseTo(3.0, within(1e-9));
    }

    @Test
    void shouldReproduceEveryParameterForTheSameSeed() {
        NetworkSpec spec = NetworkSpec.recurrent(12, 20, 3, NeuronSpec.lif());
        NetworkParams a = Initializer.initialise(spec, new InitSpec(9, 1.0, 0.8, 1.0));
        NetworkParams b = Initializer.initialise(spec, new InitSpec(9, 1.0, 0.8, 1.0));

        for (String name : a.names()) {
            assertThat(a.get(name).data()).as(name).containsExactly(b.get(name).data());
        }
        assertThat(a.get("layer0.w_rec").norm()).isPositive();
    }
}
