package org.spikeloop.learn.eprop;

import java.util.Arrays;

/**
 * Decides, step by step, whether e-prop may learn and with which label: it validates labels as they
 * arrive and pauses learning while the label stream is stalled, outside labelled trial windows
 * (cue-labelled tasks) and after an input gap until a fresh label arrives — so the learner never
 * combines eligibility from before a gap with an error after it.
 *
 * <p>Bad labels: a wrong dimension is a caller error and throws (naming the lengths); a label older
 * than the last accepted one (out of time order) or with a non-finite value is rejected and
 * counted, and the previous label stays in force. Nothing a label does reaches the weights unless
 * it passed these checks.
 *
 * <p>Threading: engine thread only. Allocation: none after construction.
 */
public final class LabelGate {
    private final int outputs;
    private final long maxLabelAgeSteps;
    private final boolean trialWindows;
    private final float[] label;
    private long labelStep = Long.MIN_VALUE;
    private boolean valid;
    private boolean inTrial;
    private long rejectedOutOfOrder;
    private long rejectedNonFinite;
    private long pausedSteps;

    /**
     * @param outputs the readout dimension labels must have
     * @param maxLabelAgeSteps a label older than this many steps counts as stalled (&ge; 0)
     * @param trialWindows true for cue-labelled tasks: learn only between {@link #beginTrial()} and
     *     {@link #endTrial()}
     */
    public LabelGate(int outputs, long maxLabelAgeSteps, boolean trialWindows) {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
        if (maxLabelAgeSteps < 0) {
            throw new IllegalArgumentException(
                    "maxLabelAgeSteps must be >= 0, got " + maxLabelAgeSteps);
        }
        this.outputs = outputs;
        this.maxLabelAgeSteps = maxLabelAgeSteps;
        this.trialWindows = trialWindows;
        label = new float[outputs];
    }

    /**
     * Offers the label valid from step {@code step} on.
     *
     * @param step the step index the label belongs to
     * @param value the label (copied; not modified)
     * @return true if accepted; false if rejected (out of time order or non-finite; counted)
     * @throws IllegalArgumentException if {@code value.length} is not the readout dimension
     */
    public boolean offer(long step, float[] value) {
        if (value.length != outputs) {
            throw new IllegalArgumentException(
                    "label has length " + value.length + ", the readout has " + outputs);
        }
        if (valid && step < labelStep) {
            rejectedOutOfOrder++;
            return false;
        }
        for (float v : value) {
            if (!Float.isFinite(v)) {
                rejectedNonFinite++;
                return false;
            }
        }
        System.arraycopy(value, 0, label, 0, outputs);
        labelStep = step;
        valid = true;
        return true;
    }

    /** The label to learn from at step {@code step}, or null to pause learning (counted). */
    public float[] target(long step) {
        boolean ok =
                valid
                        && step >= labelStep
                        && step - labelStep <= maxLabelAgeSteps
                        && (!trialWindows || inTrial);
        if (!ok) {
            pausedSteps++;
            return null;
        }
        return label;
    }

    /** Opens a labelled trial window (cue-labelled tasks). */
    public void beginTrial() {
        inTrial = true;
    }

    /** Closes the trial window; learning pauses until the next {@link #beginTrial()}. */
    public void endTrial() {
        inTrial = false;
    }

    /** The input had a gap: the current label is void until a fresh one is offered. */
    public void inputGap() {
        valid = false;
        Arrays.fill(label, 0f);
    }

    public long rejectedOutOfOrder() {
        return rejectedOutOfOrder;
    }

    public long rejectedNonFinite() {
        return rejectedNonFinite;
    }

    public long pausedSteps() {
        return pausedSteps;
    }
}
