package org.spikeloop.server.session;

import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;

/** The operator-settable ranges of the learning rate and update interval (from the config). */
final class LearningBounds {
    private LearningBounds() {}

    /**
     * @throws ServerException INVALID_ARGUMENT naming the field and its bounds
     */
    static void check(ServerConfig c, double rate, int intervalSteps) {
        if (rate != 0 && !(rate >= c.learningRateMin() && rate <= c.learningRateMax())) {
            throw ServerException.invalid(
                    "learning_rate: must be within ["
                            + c.learningRateMin()
                            + ", "
                            + c.learningRateMax()
                            + "], got "
                            + rate);
        }
        if (intervalSteps != 0
                && (intervalSteps < c.updateIntervalMin()
                        || intervalSteps > c.updateIntervalMax())) {
            throw ServerException.invalid(
                    "update_interval_steps: must be within ["
                            + c.updateIntervalMin()
                            + ", "
                            + c.updateIntervalMax()
                            + "], got "
                            + intervalSteps);
        }
    }
}
