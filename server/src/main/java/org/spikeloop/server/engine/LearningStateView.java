package org.spikeloop.server.engine;

/**
 * A consistent copy of a session's learning state, made on the engine thread (control plane).
 *
 * @param learner name of the learning rule, or "" when the session has none
 * @param recentError EMA of the mean squared decode error; NaN before the first label
 * @param activeCheckpoint content id of the weights loaded last; "" for a fresh initialisation
 * @param calibration marker-labelled sessions: the last class-bias calibration or why none was made
 *     ({@link TrialWindows#calibrationStatus}); "" otherwise
 */
public record LearningStateView(
        LearningMode mode,
        double learningRate,
        int updateIntervalSteps,
        long updateCount,
        double weightNorm,
        double recentError,
        String lastGuardEvent,
        String activeCheckpoint,
        int rollbackDepth,
        String learner,
        String calibration) {}
