package org.spikeloop.adapters.lsl;

/**
 * Detects lost samples of a regular-rate stream from its time stamps. liblsl's inlet buffer drops
 * the oldest samples silently when it overflows, and an outlet that restarts leaves a hole; both
 * show as consecutive stamps further apart than the nominal interval. A step larger than {@code
 * toleranceIntervals} intervals counts one gap of {@code round(step * rate) - 1} missing samples. A
 * step backwards (non-monotonic stamps, or a sender clock reset) is counted apart and re-anchors
 * the detector; it never counts as loss. Irregular streams only get the backwards check.
 *
 * <p>Allocation-free; owned by one thread; units: stamps in seconds (LSL clock).
 */
public final class GapDetector {
    private final double rateHz;
    private final double gapAfterS;
    private boolean anchored;
    private double lastStampS;
    private long samples;
    private long gaps;
    private long missingSamples;
    private long backwardSteps;
    private double largestBackwardStepS;

    /**
     * @param nominalSrateHz stream rate (0: irregular, no gap detection)
     * @param toleranceIntervals steps up to this many nominal intervals are normal jitter; must be
     *     >= 1.5 so that one missing sample is still detected with moderate jitter
     */
    public GapDetector(double nominalSrateHz, double toleranceIntervals) {
        if (!(nominalSrateHz >= 0) || Double.isInfinite(nominalSrateHz)) {
            throw new IllegalArgumentException(
                    "nominalSrateHz: must be finite and >= 0, got " + nominalSrateHz);
        }
        if (!(toleranceIntervals >= 1.5)) {
            throw new IllegalArgumentException(
                    "toleranceIntervals: must be >= 1.5, got " + toleranceIntervals);
        }
        this.rateHz = nominalSrateHz;
        this.gapAfterS = nominalSrateHz > 0 ? toleranceIntervals / nominalSrateHz : 0;
    }

    /**
     * Checks {@code count} stamps (not modified) following those seen before; returns the samples
     * found missing in this chunk.
     */
    public long onTimestamps(double[] stampsS, int count) {
        long missingHere = 0;
        for (int i = 0; i < count; i++) {
            double t = stampsS[i];
            if (anchored) {
                double step = t - lastStampS;
                if (step < 0) {
                    backwardSteps++;
                    largestBackwardStepS = Math.max(largestBackwardStepS, -step);
                } else if (rateHz > 0 && step > gapAfterS) {
                    long missing = Math.round(step * rateHz) - 1;
                    gaps++;
                    missingSamples += missing;
                    missingHere += missing;
                }
            }
            lastStampS = t;
            anchored = true;
        }
        samples += count;
        return missingHere;
    }

    /** Forgets the last stamp (e.g. after liblsl reported a clock reset). */
    public void reanchor() {
        anchored = false;
    }

    public long samples() {
        return samples;
    }

    public long gaps() {
        return gaps;
    }

    public long missingSamples() {
        return missingSamples;
    }

    /** Stamps earlier than their predecessor (non-monotonic stamps or a clock reset). */
    public long backwardSteps() {
        return backwardSteps;
    }

    public double largestBackwardStepS() {
        return largestBackwardStepS;
    }
}
