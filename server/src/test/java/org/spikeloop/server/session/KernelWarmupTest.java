package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.OptimizerKind;
import org.spikeloop.server.engine.EpropLearner;
import org.spikeloop.server.engine.Learner;
import org.spikeloop.server.engine.NetworkDecoder;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class KernelWarmupTest {
    private static final NetworkSpec SPEC = NetworkSpec.recurrent(24, 32, 2, NeuronSpec.alif());
    private static final EpropConfig EPROP =
            EpropConfig.builder()
                    .optimizer(OptimizerKind.SGD)
                    .learningRate(0.05)
                    .updateIntervalSteps(10)
                    .build();

    @Test
    void shouldLearnOnItsScratchCopyAndLeaveTheSessionsDecoderAsItWas() {
        NetworkParams params = Initializer.initialise(SPEC, InitSpec.seeded(7));
        NetworkDecoder session = new NetworkDecoder(SPEC, params);
        NetworkParams before = session.exportParams();
        NetworkDecoder scratch = new NetworkDecoder(SPEC, params);

        KernelWarmup.Result r =
                KernelWarmup.run(scratch, d -> new EpropLearner(d, EPROP), 400, Long.MAX_VALUE);

        assertThat(r.steps()).isEqualTo(400);
        assertThat(r.updates()).isPositive();
        assertThat(r.weightNorm()).isPositive().isFinite();
        // The learner ran on the copy (its weights moved) ...
        assertThat(same(scratch.exportParams(), before)).isFalse();
        // ... and the session's decoder, weights and state, is as it was built.
        assertThat(same(session.exportParams(), before)).isTrue();
        NetworkDecoder fresh = new NetworkDecoder(SPEC, params);
        float[] x = new float[SPEC.inputs()];
        float[] a = new float[SPEC.outputs()];
        float[] b = new float[SPEC.outputs()];
        for (int t = 0; t < 50; t++) {
            x[t % x.length] = 1f;
            session.step(x, a);
            fresh.step(x, b);
            x[t % x.length] = 0f;
            assertThat(a).containsExactly(b);
        }
    }

    @Test
    void shouldReadTheWeightNormAfterEveryUpdateAsTheEngineDoes() {
        NetworkDecoder scratch =
                new NetworkDecoder(SPEC, Initializer.initialise(SPEC, InitSpec.seeded(3)));
        CountingLearner counting = new CountingLearner(new EpropLearner(scratch, EPROP));

        KernelWarmup.Result r = KernelWarmup.run(scratch, d -> counting, 400, Long.MAX_VALUE);

        assertThat(counting.updates).isPositive().isEqualTo(r.updates());
        assertThat(counting.normReads).isEqualTo(counting.updates);
    }

    /** Counts the updates a learner reports and the weight-norm reads it is asked for. */
    private static final class CountingLearner implements Learner {
        private final Learner inner;
        int updates;
        int normReads;

        CountingLearner(Learner inner) {
            this.inner = inner;
        }

        @Override
        public boolean afterStep(float[] input, float[] output, float[] target, boolean has) {
            boolean updated = inner.afterStep(input, output, target, has);
            if (updated) {
                updates++;
            }
            return updated;
        }

        @Override
        public double weightNorm() {
            normReads++;
            return inner.weightNorm();
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void endTrial() {
            inner.endTrial();
        }

        @Override
        public void setLearningRate(double learningRate) {
            inner.setLearningRate(learningRate);
        }

        @Override
        public void setUpdateIntervalSteps(int steps) {
            inner.setUpdateIntervalSteps(steps);
        }

        @Override
        public long guardEvents() {
            return inner.guardEvents();
        }

        @Override
        public String lastGuardEvent() {
            return inner.lastGuardEvent();
        }

        @Override
        public void resetTraces() {
            inner.resetTraces();
        }
    }

    @Test
    void shouldMakeNoCopyOfADecoderAndLearnerOver64MiB() {
        long mib = 1L << 20;
        assertThat(SessionFactory.warmupCopyFits(footprint(40 * mib, 24 * mib))).isTrue();
        assertThat(SessionFactory.warmupCopyFits(footprint(40 * mib, 24 * mib + 1))).isFalse();
    }

    private static SessionFootprint footprint(long weightBytes, long learnerBytes) {
        return new SessionFootprint(0, 0, weightBytes, learnerBytes, 0, 0, 0, 1e6);
    }

    private static boolean same(NetworkParams a, NetworkParams b) {
        for (String name : b.names()) {
            if (!Arrays.equals(a.get(name).data(), b.get(name).data())) {
                return false;
            }
        }
        return a.names().equals(b.names());
    }

    @Test
    void shouldStepWithoutALearnerAndStopAtItsTimeBudget() {
        NetworkDecoder scratch =
                new NetworkDecoder(SPEC, Initializer.initialise(SPEC, InitSpec.seeded(1)));
        KernelWarmup.Result r = KernelWarmup.run(scratch, null, 25, Long.MAX_VALUE);
        assertThat(r.steps()).isEqualTo(25);
        assertThat(r.updates()).isZero();
        assertThat(r.weightNorm()).isNaN();
        assertThat(KernelWarmup.run(scratch, null, 25, 0).steps()).isZero();
    }
}
