package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;

class EarlyStoppingTrainerTest {
    private final TimeSplit.Parts parts = TimeSplit.split(Tasks.sequence(8000, 1), 0.25, 200);
    private final Batch train = Windows.batch(parts.train(), 200);
    private final Batch validation = Windows.batch(parts.validation(), 200);

    @Test
    void shouldLowerHeldOutErrorAndKeepTheBestEpoch() {
        JobConfig config = Tasks.config(6, 0.01);
        NetworkParams p = Initializer.initialise(config.spec(), config.init());
        List<JobProgress> seen = new ArrayList<>();
        JobOutcome out =
                EarlyStoppingTrainer.run(
                        config,
                        p,
                        train,
                        validation,
                        parts.validation(),
                        new EarlyStopping(10, 0),
                        seen::add,
                        () -> false);
        assertThat(seen).hasSize(out.trainLoss().size());
        assertThat(seen.get(0).etaS()).isPositive();
        assertThat(out.finalScore().mse()).isLessThan(0.7 * out.initialScore().mse());
        int best = out.bestEpoch();
        double bestLoss = out.validationLoss().get(best - 1);
        assertThat(out.validationLoss()).allMatch(v -> v >= bestLoss);
        // The kept parameters are the best epoch's: their causal R² is the one recorded then.
        assertThat(out.finalScore().r2()).isCloseTo(out.validationR2().get(best - 1), within());
    }

    @Test
    void shouldStopEarlyWhenValidationStopsImproving() {
        JobConfig config = Tasks.config(30, 0.01);
        NetworkParams p = Initializer.initialise(config.spec(), config.init());
        JobOutcome out =
                EarlyStoppingTrainer.run(
                        config,
                        p,
                        train,
                        validation,
                        parts.validation(),
                        new EarlyStopping(1, 1e9), // no decrease is large enough
                        e -> {},
                        () -> false);
        assertThat(out.stoppedEarly()).isTrue();
        assertThat(out.trainLoss()).hasSize(2);
        assertThat(out.bestEpoch()).isEqualTo(1);
    }

    @Test
    void shouldStopWhenCancelled() {
        JobConfig config = Tasks.config(30, 0.01);
        NetworkParams p = Initializer.initialise(config.spec(), config.init());
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                EarlyStoppingTrainer.run(
                                        config,
                                        p,
                                        train,
                                        validation,
                                        parts.validation(),
                                        new EarlyStopping(5, 0),
                                        e -> {},
                                        () -> checks.incrementAndGet() > 3))
                .isInstanceOf(JobCancelledException.class)
                .hasMessageContaining("epoch 1");
    }

    @Test
    void shouldRejectNonPositivePatience() {
        assertThatThrownBy(() -> new EarlyStopping(0, 0))
                .hasMessageContaining("earlyStopping.patience");
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
