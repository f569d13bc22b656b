package org.spikeloop.server.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's per-trial output: a preallocated ring of closed trial windows and their decisions,
 * written by the engine (single writer) when a window ends and read by any number of publishers
 * (gRPC decision watchers, the LSL decision outlet, the recording), each with its own {@link
 * DecisionCursor}. The writer never waits: a reader that falls more than {@link #capacity()}
 * windows behind loses the overwritten ones and its cursor counts them. Decisions are rare (one per
 * trial, seconds apart), so a small ring is many minutes of slack.
 *
 * <p>Consistency: a per-slot sequence works as a seqlock, as in {@link FrameRing}.
 *
 * <p>Threading: {@link #publish} on the engine thread only; cursors on any thread, one thread per
 * cursor. Allocation: none after construction (the cue text is kept by reference).
 */
public final class DecisionRing {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

    private final int capacity;
    private final int mask;
    private final int classes;
    private final long[] sequence;
    private final float[] probabilities;
    private final int[] trial;
    private final String[] cue;
    private final int[] cueClass;
    private final double[] startS;
    private final double[] endS;
    private final int[] frames;
    private final int[] decision;
    private final long[] decidedNs;
    private final boolean[] learned;
    private final AtomicLong published = new AtomicLong();

    /**
     * @param classes classes per decision (the decoder's outputs)
     * @param capacityWindows windows kept; rounded up to a power of two (&ge; 2)
     */
    public DecisionRing(int classes, int capacityWindows) {
        if (capacityWindows < 2) {
            throw new IllegalArgumentException(
                    "decision ring capacity must be >= 2 windows, got " + capacityWindows);
        }
        this.capacity = RingCapacity.roundUp(capacityWindows);
        this.mask = capacity - 1;
        this.classes = classes;
        this.sequence = new long[capacity];
        java.util.Arrays.fill(sequence, -1L);
        this.probabilities = new float[capacity * classes];
        this.trial = new int[capacity];
        this.cue = new String[capacity];
        this.cueClass = new int[capacity];
        this.startS = new double[capacity];
        this.endS = new double[capacity];
        this.frames = new int[capacity];
        this.decision = new int[capacity];
        this.decidedNs = new long[capacity];
        this.learned = new boolean[capacity];
    }

    /**
     * Heap bytes a ring of {@code capacityWindows} decisions of {@code classes} classes holds
     * (admission's estimate, before it is built): the arrays allocated in the constructor.
     */
    public static long bytesFor(int classes, int capacityWindows) {
        long windows = RingCapacity.roundUp(Math.max(2, capacityWindows));
        // sequence, probabilities, trial, cue reference, cue class, start, end, frames, decision,
        // decision time, learned
        return windows * (8 + 4L * classes + 4 + 8 + 4 + 8 + 8 + 4 + 4 + 8 + 1);
    }

    public int capacity() {
        return capacity;
    }

    public int classes() {
        return classes;
    }

    /** Windows published so far (the next window's sequence number). */
    public long published() {
        return published.get();
    }

    /**
     * Publishes one closed window (engine thread only; allocation-free).
     *
     * @param p class probabilities, length {@link #classes()} (not modified; ignored when {@code
     *     decided} is {@link Decision#NONE})
     * @param decided the decided class, or {@link Decision#NONE} for a window without steps
     */
    public void publish(
            int trialIndex,
            String cueText,
            int cueClassIndex,
            double windowStartS,
            double windowEndS,
            int windowFrames,
            double[] p,
            int decided,
            long decidedAtNs,
            boolean learnedFrom) {
        long seq = published.get();
        int slot = (int) (seq & mask);
        SEQ.setOpaque(sequence, slot, -1L);
        VarHandle.storeStoreFence();
        int base = slot * classes;
        for (int k = 0; k < classes; k++) {
            probabilities[base + k] = decided == Decision.NONE ? Float.NaN : (float) p[k];
        }
        trial[slot] = trialIndex;
        cue[slot] = cueText;
        cueClass[slot] = cueClassIndex;
        startS[slot] = windowStartS;
        endS[slot] = windowEndS;
        frames[slot] = windowFrames;
        decision[slot] = decided;
        decidedNs[slot] = decidedAtNs;
        learned[slot] = learnedFrom;
        SEQ.setRelease(sequence, slot, seq);
        published.lazySet(seq + 1);
    }

    /** A reader positioned at the next window to be published. */
    public DecisionCursor newCursor() {
        return new DecisionCursor(this, published.get());
    }

    /**
     * Copies window {@code seq} into {@code dst}; false if it was overwritten (or being written).
     */
    boolean copy(long seq, Decision dst) {
        int slot = (int) (seq & mask);
        if ((long) SEQ.getAcquire(sequence, slot) != seq) {
            return false;
        }
        System.arraycopy(probabilities, slot * classes, dst.probabilities, 0, classes);
        dst.trial = trial[slot];
        dst.cue = cue[slot];
        dst.cueClass = cueClass[slot];
        dst.startS = startS[slot];
        dst.endS = endS[slot];
        dst.frames = frames[slot];
        dst.decision = decision[slot];
        dst.decidedNs = decidedNs[slot];
        dst.learned = learned[slot];
        dst.sequence = seq;
        VarHandle.loadLoadFence();
        return (long) SEQ.getOpaque(sequence, slot) == seq;
    }
}
