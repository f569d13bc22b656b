package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class EpropRunJobTest {
    private static final int T = 40;
    private static final int TRIAL = 20;
    private final NetworkSpec spec = EpropFixtures.spec(3, 5, 2, true, NeuronSpec.lif());
    private final NetworkParams params = EpropFixtures.params(spec, 7, 1.0, 0.5);

    private Map<String, Tensor> data(int trial) {
        double[][] x = EpropFixtures.poisson(T, 3, 0.2, 3);
        double[][] y = EpropFixtures.sines(T, 2, 4);
        double[] xf = new double[T * 3];
        double[] yf = new double[T * 2];
        for (int t = 0; t < T; t++) {
            System.arraycopy(x[t], 0, xf, t * 3, 3);
            System.arraycopy(y[t], 0, yf, t * 2, 2);
        }
        Map<String, Tensor> d = new LinkedHashMap<>();
        d.put("x", new Tensor(new int[] {T, 3}, xf));
        d.put("y", new Tensor(new int[] {T, 2}, yf));
        d.put("trial_steps", new Tensor(new int[] {1}, new double[] {trial}));
        return d;
    }

    @Test
    void shouldEqualAReferenceStepLoopWithResetAndUpdatePerTrial() {
        EpropConfig cfg =
                EpropConfig.builder().optimizer(OptimizerKind.SGD).learningRate(0.01).build();
        Map<String, Tensor> d = data(TRIAL);
        EpropRunJob.Result r = EpropRunJob.run(spec, params, cfg, d);

        EpropReference ref = new EpropReference(spec, params, cfg);
        double[] expected = new double[T / TRIAL];
        for (int n = 0; n < expected.length; n++) {
            ref.resetState();
            ref.resetLoss();
            for (int t = 0; t < TRIAL; t++) {
                int row = n * TRIAL + t;
                double[] x = new double[3];
                double[] y = new double[2];
                System.arraycopy(d.get("x").data(), row * 3, x, 0, 3);
                System.arraycopy(d.get("y").data(), row * 2, y, 0, 2);
                ref.step(x, y);
            }
            expected[n] = ref.loss();
            ref.applyUpdate();
        }
        assertThat(expected[0]).isPositive();
        assertThat(r.trialLoss()).containsExactly(expected);
        assertThat(r.params().get("layer0.w_in").data())
                .containsExactly(ref.params().get("layer0.w_in").data());
    }

    @Test
    void shouldRejectATrialLengthThatDoesNotDivideTheStream() {
        assertThatThrownBy(
                        () -> EpropRunJob.run(spec, params, EpropConfig.builder().build(), data(7)))
                .hasMessageContaining(
                        "trial_steps = 7.0 must be a positive integer dividing T = 40");
    }

    @Test
    void shouldRejectGivenFeedbackWithoutTheMatrix() {
        EpropConfig cfg = EpropConfig.builder().feedback(FeedbackMode.GIVEN).build();
        assertThatThrownBy(() -> EpropRunJob.run(spec, params, cfg, data(TRIAL)))
                .hasMessageContaining("feedback = GIVEN needs the feedback matrix");
    }

    @Test
    void shouldRejectAMisShapedFeedbackMatrix() {
        Map<String, Tensor> d = data(TRIAL);
        d.put("feedback", new Tensor(new int[] {5, 2}, new double[10]));
        EpropConfig cfg = EpropConfig.builder().feedback(FeedbackMode.GIVEN).build();
        assertThatThrownBy(() -> EpropRunJob.run(spec, params, cfg, d))
                .hasMessageContaining("feedback must be [2, 5]");
    }

    @Test
    void shouldRejectAnUnknownDataEntry() {
        Map<String, Tensor> d = data(TRIAL);
        d.put("labels", new Tensor(new int[] {1}, new double[1]));
        assertThatThrownBy(() -> EpropRunJob.run(spec, params, EpropConfig.builder().build(), d))
                .hasMessageContaining("data entry labels is unknown");
    }

    @Test
    void shouldUseTheGivenFeedbackMatrixForTheLearningSignal() {
        Map<String, Tensor> d = data(TRIAL);
        double[] b = FeedbackMatrix.random(2, 5, 9);
        d.put("feedback", new Tensor(new int[] {2, 5}, b));
        EpropConfig given =
                EpropConfig.builder()
                        .optimizer(OptimizerKind.SGD)
                        .learningRate(0.01)
                        .feedback(FeedbackMode.GIVEN)
                        .build();
        EpropConfig random =
                given.toBuilder().feedback(FeedbackMode.RANDOM).feedbackSeed(9).build();
        d.remove("feedback");
        EpropRunJob.Result viaSeed = EpropRunJob.run(spec, params, random, d);
        d.put("feedback", new Tensor(new int[] {2, 5}, b));
        EpropRunJob.Result viaMatrix = EpropRunJob.run(spec, params, given, d);
        assertThat(viaMatrix.trialLoss()).containsExactly(viaSeed.trialLoss());
    }
}
