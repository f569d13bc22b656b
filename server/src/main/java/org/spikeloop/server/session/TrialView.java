package org.spikeloop.server.session;

/**
 * A marker-labelled session's trial windows as the API shows it.
 *
 * @param windows trial windows closed (each recorded in the trials stream)
 * @param decisions windows decided (those that held at least one decoder step)
 * @param inTrial whether a window is open
 * @param calibrationTrials labelled windows kept for the next class-bias calibration
 * @param calibration the last calibration, or why none was made
 */
public record TrialView(
        long windows, long decisions, boolean inTrial, int calibrationTrials, String calibration) {}
