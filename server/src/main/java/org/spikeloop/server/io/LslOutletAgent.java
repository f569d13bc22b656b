package org.spikeloop.server.io;

import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.FrameChunk;
import org.spikeloop.server.engine.FrameRing;

/**
 * Publishes a session's decoded frames on an LSL outlet (float32, one channel per decoder output):
 * reads the {@link FrameRing} with its own cursor, like a watcher, and pushes every frame it finds
 * at once, stamped with the source time stamp of the sample that produced it (the LSL clock for LSL
 * sources), so a task application can line outputs up with its own stream. Like a slow watcher it
 * never slows the engine: if it falls a whole ring behind, its cursor jumps to the newest frame and
 * the skipped frames are counted ({@link #framesDropped}). liblsl's push never blocks (each
 * consumer has a bounded buffer in liblsl; a consumer that does not read loses the oldest data
 * there, not here).
 *
 * <p>Threading: {@link #doWork}/{@link #onClose} on the publisher pool thread; the counters from
 * any thread. Allocation: none per frame (the outlet's numeric push allocates nothing of its own).
 */
public final class LslOutletAgent implements Agent {
    /** Frames pushed per liblsl call at most (one call per cycle when frames wait). */
    static final int CHUNK_FRAMES = 64;

    private final String roleName;
    private final Outlet outlet;
    private final FrameChunk chunk;
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean consumers;

    /**
     * @param outlet an open outlet with {@code ring.outputs()} float32 channels; closed by {@link
     *     #onClose}
     */
    LslOutletAgent(String sessionId, Outlet outlet, FrameRing ring) {
        if (outlet.info().channelCount() != ring.outputs()) {
            throw new IllegalArgumentException(
                    "outlet has "
                            + outlet.info().channelCount()
                            + " channels, the decoder "
                            + ring.outputs()
                            + " outputs");
        }
        this.roleName = "spikeloop-lsl-outlet-" + sessionId;
        this.outlet = outlet;
        this.chunk = new FrameChunk(ring, CHUNK_FRAMES);
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int doWork() {
        int n = chunk.fill();
        if (n > 0) {
            outlet.pushChunk(chunk.values(), chunk.stamps(), n);
            chunk.clear();
            EngineCounters.add(pushed, n);
            consumers =
                    outlet.haveConsumers(); // read here: the outlet is only touched on this thread
        }
        long lost = chunk.framesLost();
        if (lost != dropped.get()) {
            dropped.lazySet(lost);
        }
        return n;
    }

    /** Pushes the frames still in the ring (the engine has stopped), then closes the outlet. */
    @Override
    public void onClose() {
        try {
            while (doWork() > 0) {
                // drain
            }
        } finally {
            outlet.close();
        }
    }

    /**
     * Creates the session's outlet ({@link LslEndpoints#openOutlet}) and its agent over {@code
     * ring}, the decoder stepping at {@code stepRateHz}.
     *
     * @throws org.spikeloop.server.ServerException naming the {@code spec.lsl_outlet} field
     */
    public static LslOutletAgent open(
            String sessionId, LslOutletConfig config, FrameRing ring, double stepRateHz) {
        Outlet outlet = LslEndpoints.openOutlet(sessionId, config, ring.outputs(), stepRateHz);
        try {
            return new LslOutletAgent(sessionId, outlet, ring);
        } catch (RuntimeException e) {
            outlet.close();
            throw e;
        }
    }

    /** The outlet as the API shows it (any thread). */
    public LslOutletView view() {
        return new LslOutletView(framesPushed(), framesDropped(), hasConsumers());
    }

    /** Frames pushed to the outlet. */
    long framesPushed() {
        return pushed.get();
    }

    /** Frames lost because the agent fell a whole frame ring behind the engine. */
    long framesDropped() {
        return dropped.get();
    }

    /** Whether an inlet was connected at the last push (any thread). */
    boolean hasConsumers() {
        return consumers;
    }

    /** The count of frames pushed (single writer: this agent), for a meter. */
    public AtomicLong pushedCounter() {
        return pushed;
    }

    /** The count of frames lost behind the ring (single writer: this agent), for a meter. */
    public AtomicLong droppedCounter() {
        return dropped;
    }
}
