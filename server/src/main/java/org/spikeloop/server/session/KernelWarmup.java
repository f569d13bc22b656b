package org.spikeloop.server.session;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.spikeloop.server.engine.Learner;
import org.spikeloop.server.engine.NetworkDecoder;

/**
 * Steps a scratch copy of a session's decoder (and its learner) before the session takes its first
 * sample, so that the JIT has compiled the step and learning kernels by then. Without it a session
 * on a fresh server decodes its first few hundred samples in the interpreter and in C1 code, at
 * milliseconds a step: the demo's 1-kHz session missed 15–86 deadlines in its first second (0–4
 * with the warm-up). The copy is built from the same plan, fed sparse random input with a label on
 * every other step, and thrown away: the session's own decoder and learner are untouched. Compiled
 * code is shared by every instance of the classes, so a later session's warm-up runs at full speed
 * (tens of milliseconds).
 *
 * <p>It makes every learner call the engine makes ({@code EngineAgent}): after each weight update
 * the engine reads the weight norm, a loop over every trained weight (≈ 90 000 for 96 → 256 → 2),
 * which the interpreter takes 1.4–3.7 ms over; a warm-up without that call left the session's first
 * update to miss its deadline in three of eight demo runs.
 *
 * <p>Threading: the session builder's thread (never an engine thread); it allocates the copy.
 */
final class KernelWarmup {
    /** Input density of the scratch samples: about the spike probability of a busy array. */
    private static final double INPUT_DENSITY = 0.05;

    private KernelWarmup() {}

    /**
     * What a warm-up did.
     *
     * @param steps steps taken
     * @param updates weight updates the scratch learner made (0 without a learner)
     * @param weightNorm the scratch learner's weight norm after its last update (NaN if none):
     *     returned so that the norm's computation cannot be optimised away as unused
     * @param nanos how long they took
     */
    record Result(int steps, int updates, double weightNorm, long nanos) {}

    /**
     * Steps {@code scratch} (with the learner {@code learnerFor} builds on it, or none) {@code
     * steps} times, or until {@code budgetNs} has passed.
     *
     * @param learnerFor the session's learner built on the scratch decoder; null: no learner
     */
    static Result run(
            NetworkDecoder scratch,
            Function<NetworkDecoder, Learner> learnerFor,
            int steps,
            long budgetNs) {
        Learner learner = learnerFor == null ? null : learnerFor.apply(scratch);
        int inputs = scratch.spec().inputs();
        int outputs = scratch.spec().outputs();
        float[] x = new float[inputs];
        float[] y = new float[outputs];
        float[] label = new float[outputs];
        SplittableRandom random = new SplittableRandom(inputs * 31L + outputs);
        long start = System.nanoTime();
        int taken = 0;
        int updates = 0;
        double weightNorm = Double.NaN;
        while (taken < steps && System.nanoTime() - start < budgetNs) {
            for (int i = 0; i < inputs; i++) {
                x[i] = random.nextDouble() < INPUT_DENSITY ? 1f : 0f;
            }
            boolean produced = scratch.step(x, y);
            if (learner != null && produced) {
                label[taken % outputs] = 1f;
                if (learner.afterStep(x, y, label, (taken & 1) == 0)) {
                    updates++;
                    weightNorm = learner.weightNorm();
                }
                label[taken % outputs] = 0f;
            }
            taken++;
        }
        return new Result(taken, updates, weightNorm, System.nanoTime() - start);
    }
}
