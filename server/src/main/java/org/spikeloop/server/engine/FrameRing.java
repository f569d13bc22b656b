package org.spikeloop.server.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's output: a preallocated ring of decoded frames, written by the engine (single writer)
 * and read by any number of publishers, each with its own cursor ({@link FrameCursor}). The writer
 * never waits: a reader that falls more than {@link #capacity()} frames behind loses the
 * overwritten frames, and its cursor counts them.
 *
 * <p>Consistency: a per-slot sequence works as a seqlock — the writer marks the slot busy (−1),
 * writes the fields, then publishes the frame's sequence with release semantics; a reader copies
 * the fields and accepts them only if the slot's sequence was the expected one before and after the
 * copy.
 *
 * <p>Threading: {@link #publish} on the engine thread only; {@link FrameCursor#poll} on any thread,
 * one thread per cursor. Allocation: none after construction.
 */
public final class FrameRing {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

    private final int capacity;
    private final int mask;
    private final int outputs;
    private final long[] sequence;
    private final float[] outputValues;
    private final float[] labelValues;
    private final boolean[] hasLabel;
    private final double[] sourceTimestampS;
    private final long[] arrivalNs;
    private final long[] decodeNs;
    private final int[] spikeCount;
    private final boolean[] deadlineMissed;
    private final long[] samplesSkipped;
    private final AtomicLong published = new AtomicLong(); // frames published so far

    /**
     * @param outputs decoder outputs per frame (also the label width)
     * @param capacityFrames frames kept; rounded up to a power of two
     */
    public FrameRing(int outputs, int capacityFrames) {
        if (capacityFrames < 2) {
            throw new IllegalArgumentException(
                    "output ring capacity must be >= 2 frames, got " + capacityFrames);
        }
        this.capacity = RingCapacity.roundUp(capacityFrames);
        this.mask = capacity - 1;
        this.outputs = outputs;
        this.sequence = new long[capacity];
        java.util.Arrays.fill(sequence, -1L);
        this.outputValues = new float[capacity * outputs];
        this.labelValues = new float[capacity * outputs];
        this.hasLabel = new boolean[capacity];
        this.sourceTimestampS = new double[capacity];
        this.arrivalNs = new long[capacity];
        this.decodeNs = new long[capacity];
        this.spikeCount = new int[capacity];
        this.deadlineMissed = new boolean[capacity];
        this.samplesSkipped = new long[capacity];
    }

    public int capacity() {
        return capacity;
    }

    public int outputs() {
        return outputs;
    }

    /** Frames published so far (the next frame's sequence number). */
    public long published() {
        return published.get();
    }

    /**
     * Publishes one frame (engine thread only; allocation-free). Arrays are copied, not kept.
     *
     * @param out decoder outputs, length {@link #outputs()} (not modified)
     * @param label the label of this step, or ignored when {@code labelPresent} is false
     * @param skipped samples skipped to the live edge so far ({@link Frame#samplesSkipped})
     */
    public void publish(
            float[] out,
            boolean labelPresent,
            float[] label,
            double sourceTsS,
            long arrivalTimeNs,
            long decodeTimeNs,
            int spikes,
            boolean missed,
            long skipped) {
        long seq = published.get();
        int slot = (int) (seq & mask);
        SEQ.setOpaque(sequence, slot, -1L);
        VarHandle.storeStoreFence();
        System.arraycopy(out, 0, outputValues, slot * outputs, outputs);
        hasLabel[slot] = labelPresent;
        if (labelPresent) {
            System.arraycopy(label, 0, labelValues, slot * outputs, outputs);
        }
        sourceTimestampS[slot] = sourceTsS;
        arrivalNs[slot] = arrivalTimeNs;
        decodeNs[slot] = decodeTimeNs;
        spikeCount[slot] = spikes;
        deadlineMissed[slot] = missed;
        samplesSkipped[slot] = skipped;
        SEQ.setRelease(sequence, slot, seq);
        published.lazySet(seq + 1);
    }

    /** A reader positioned at the next frame to be published. */
    public FrameCursor newCursor() {
        return new FrameCursor(this, published.get());
    }

    /**
     * Copies frame {@code seq} into {@code dst}; false if it was overwritten (or is being written).
     */
    boolean copy(long seq, Frame dst) {
        int slot = (int) (seq & mask);
        if ((long) SEQ.getAcquire(sequence, slot) != seq) {
            return false;
        }
        System.arraycopy(outputValues, slot * outputs, dst.outputs, 0, outputs);
        boolean labelled = hasLabel[slot];
        if (labelled) {
            System.arraycopy(labelValues, slot * outputs, dst.label, 0, outputs);
        }
        dst.hasLabel = labelled;
        dst.sourceTimestampS = sourceTimestampS[slot];
        dst.arrivalNs = arrivalNs[slot];
        dst.decodeNs = decodeNs[slot];
        dst.spikeCount = spikeCount[slot];
        dst.deadlineMissed = deadlineMissed[slot];
        dst.samplesSkipped = samplesSkipped[slot];
        dst.step = seq;
        VarHandle.loadLoadFence();
        return (long) SEQ.getOpaque(sequence, slot) == seq;
    }
}
