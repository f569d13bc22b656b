package org.spikeloop.signal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddedPerturbationTest {
    @Test
    void shouldAddTheGivenPerturbationAndClampCountsAtZero() {
        double[] x = {0, 1, 2, 0};
        double[] delta = {-0.5, -0.5, 0.5, 0.5};
        new AddedPerturbation("fgsm", delta, 0.5, true).apply(x, 2, 2, 1000);
        assertThat(x).containsExactly(0, 0.5, 2.5, 0.5);
        double[] y = {0, 1};
        new AddedPerturbation("fgsm", new double[] {-0.5, 0.5}, 0.5, false).apply(y, 1, 2, 1);
        assertThat(y).containsExactly(-0.5, 1.5);
    }

    @Test
    void shouldRefuseAPerturbationOfAnotherShape() {
        assertThatThrownBy(
                        () ->
                                new AddedPerturbation("fgsm", new double[3], 1, false)
                                        .apply(new double[4], 2, 2, 1))
                .hasMessage("perturbation has 3 values for a block of 4");
    }
}
