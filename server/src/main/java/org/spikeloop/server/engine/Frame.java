package org.spikeloop.server.engine;

/**
 * A reader-owned copy of one decoded frame, filled by {@link FrameCursor#poll}. Mutable and reused
 * so that reading allocates nothing. Times: {@code sourceTimestampS} in the source's clock
 * (seconds), {@code arrivalNs}/{@code decodeNs} on this host's monotonic clock (ns).
 */
public final class Frame {
    public final float[] outputs;
    public final float[] label;
    public boolean hasLabel;
    public long step;
    public double sourceTimestampS;
    public long arrivalNs;
    public long decodeNs;
    public int spikeCount;
    public boolean deadlineMissed;

    /**
     * Samples the session's engine skipped to reach the live edge before this frame, in total
     * (counted from the session's start; 0 while it keeps up).
     */
    public long samplesSkipped;

    public Frame(int outputs) {
        this.outputs = new float[outputs];
        this.label = new float[outputs];
    }
}
