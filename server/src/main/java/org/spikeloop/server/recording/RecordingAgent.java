package org.spikeloop.server.recording;

import org.agrona.concurrent.Agent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.Frame;
import org.spikeloop.server.engine.FrameCursor;
import org.spikeloop.server.engine.FrameRing;

/**
 * Records a session's decoded frames: reads the {@link FrameRing} with its own cursor, like a
 * watcher, and hands the outputs to the {@link SessionRecording} in chunks (full, or {@link
 * #FLUSH_AFTER_NS} after the first buffered frame). Like a slow watcher it never slows the engine:
 * if it falls behind by a whole ring, the cursor skips ahead and counts the lost frames ({@link
 * #framesLost}). Each output is stamped with the source time stamp of the sample that produced it
 * (the samples stream's clock), so outputs line up with inputs in the file.
 *
 * <p>Threading: {@link #doWork}/{@link #onClose} on the publisher pool thread; {@link #framesLost}
 * from any thread. Allocation: none per frame; the recording copies each chunk it queues.
 */
public final class RecordingAgent implements Agent {
    static final int CHUNK_FRAMES = 256;
    static final long FLUSH_AFTER_NS = 50_000_000L;

    private final String roleName;
    private final FrameCursor cursor;
    private final Frame frame;
    private final SessionRecording recording;
    private final EngineClock clock;
    private final int outputs;
    private final float[] values;
    private final double[] stamps;
    private int buffered;
    private long firstBufferedNs;
    private volatile long framesLost;

    public RecordingAgent(
            String sessionId, FrameRing ring, SessionRecording recording, EngineClock clock) {
        this.roleName = "spikeloop-recorder-" + sessionId;
        this.cursor = ring.newCursor();
        this.frame = new Frame(ring.outputs());
        this.recording = recording;
        this.clock = clock;
        this.outputs = ring.outputs();
        this.values = new float[CHUNK_FRAMES * outputs];
        this.stamps = new double[CHUNK_FRAMES];
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int doWork() {
        int read = 0;
        while (buffered < CHUNK_FRAMES && cursor.poll(frame)) {
            if (buffered == 0) {
                firstBufferedNs = clock.nanoTime();
            }
            System.arraycopy(frame.outputs, 0, values, buffered * outputs, outputs);
            stamps[buffered++] = frame.sourceTimestampS;
            read++;
        }
        framesLost = cursor.dropped();
        if (buffered == CHUNK_FRAMES
                || (buffered > 0 && clock.nanoTime() - firstBufferedNs >= FLUSH_AFTER_NS)) {
            flush();
        }
        return read;
    }

    private void flush() {
        recording.offer(recording.outputsStream(), values, stamps, buffered);
        buffered = 0;
    }

    /** Records the frames still in the ring (the engine has stopped) and the buffered ones. */
    @Override
    public void onClose() {
        while (doWork() > 0) {
            // drain
        }
        if (buffered > 0) {
            flush();
        }
    }

    /** Frames the recorder lost because it fell a whole ring behind the engine. */
    public long framesLost() {
        return framesLost;
    }
}
