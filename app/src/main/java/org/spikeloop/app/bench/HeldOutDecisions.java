package org.spikeloop.app.bench;

import java.util.Arrays;
import java.util.List;
import org.spikeloop.proto.v1.TrialDecision;

/**
 * A session's per-trial decisions ({@code WatchDecisions}) scored over the held-out trials: the
 * trials with index {@code >= firstHeldOut} (a session numbers its cues from 0), each counted once
 * (a watcher that reconnects could see one twice).
 *
 * @param trials held-out trials decided
 * @param correct of them, decided as their cue's class
 * @param decided [class] held-out trials decided as each class
 * @param learned held-out decisions the session learned from (0 when learning was off)
 */
record HeldOutDecisions(int trials, int correct, int[] decided, int learned) {

    /**
     * @param classes the number of classes (the decoder's outputs)
     * @throws IllegalArgumentException if a decision names a class outside {@code [0, classes)}
     */
    static HeldOutDecisions of(List<TrialDecision> decisions, long firstHeldOut, int classes) {
        int[] decided = new int[classes];
        boolean[] seen = new boolean[0];
        int trials = 0;
        int correct = 0;
        int learned = 0;
        for (TrialDecision d : decisions) {
            if (d.getTrial() < firstHeldOut) {
                continue;
            }
            int k = (int) (d.getTrial() - firstHeldOut);
            if (k >= seen.length) {
                seen = Arrays.copyOf(seen, Math.max(k + 1, 2 * seen.length));
            }
            if (seen[k]) {
                continue;
            }
            seen[k] = true;
            if (d.getDecision() >= classes) {
                throw new IllegalArgumentException(
                        "trial "
                                + d.getTrial()
                                + " decided as class "
                                + d.getDecision()
                                + " of "
                                + classes);
            }
            trials++;
            decided[d.getDecision()]++;
            if (d.getDecision() == d.getCueClass()) {
                correct++;
            }
            if (d.getLearned()) {
                learned++;
            }
        }
        return new HeldOutDecisions(trials, correct, decided, learned);
    }

    /** Share decided right (NaN without trials). */
    double accuracy() {
        return trials == 0 ? Double.NaN : correct / (double) trials;
    }

    /** The largest share of the trials decided as one class (NaN without trials). */
    double maxClassShare() {
        return trials == 0 ? Double.NaN : Arrays.stream(decided).max().orElse(0) / (double) trials;
    }
}
