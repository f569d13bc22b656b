package org.spikeloop.server.recording;

import org.agrona.concurrent.Agent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.FrameChunk;
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
    private final FrameChunk chunk;
    private final SessionRecording recording;
    private final EngineClock clock;
    private long firstBufferedNs;
    private volatile long framesLost;

    public RecordingAgent(
            String sessionId, FrameRing ring, SessionRecording recording, EngineClock clock) {
        this.roleName = "spikeloop-recorder-" + sessionId;
        this.chunk = new FrameChunk(ring, CHUNK_FRAMES);
        this.recording = recording;
        this.clock = clock;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int doWork() {
        boolean wasEmpty = chunk.size() == 0;
        int read = chunk.fill();
        if (wasEmpty && read > 0) {
            firstBufferedNs = clock.nanoTime();
        }
        framesLost = chunk.framesLost();
        if (chunk.isFull()
                || (chunk.size() > 0 && clock.nanoTime() - firstBufferedNs >= FLUSH_AFTER_NS)) {
            flush();
        }
        return read;
    }

    private void flush() {
        recording.offer(recording.outputsStream(), chunk.values(), chunk.stamps(), chunk.size());
        chunk.clear();
    }

    /** Records the frames still in the ring (the engine has stopped) and the buffered ones. */
    @Override
    public void onClose() {
        while (doWork() > 0) {
            // drain
        }
        if (chunk.size() > 0) {
            flush();
        }
    }

    /** Frames the recorder lost because it fell a whole ring behind the engine. */
    public long framesLost() {
        return framesLost;
    }
}
