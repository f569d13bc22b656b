package org.spikeloop.app.bench;

import java.util.ArrayList;
import java.util.List;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * The benchmark's watcher of the sessions' LSL outlets of decoded outputs ({@code bench e2e
 * --watch-over lsl}): what a closed-loop consumer on LSL (a cursor or prosthesis controller) reads
 * instead of a gRPC Watch stream. One inlet and one thread per outlet, each blocked in liblsl's
 * pull until a sample comes, as such a consumer waits; every sample counts its receipt time minus
 * its stamp, which the outlet sets to the frame's source time stamp (the rig's push stamp, on this
 * machine's LSL clock). An outlet sample carries no arrival, publish time or deadline flag, so the
 * lanes have the end-to-end latency only; the benchmark takes the misses from the sessions'
 * counters.
 *
 * <p>Threading: one reader thread per lane; {@link #window} and {@link #lanes} from the benchmark's
 * thread (the lanes synchronise).
 */
final class LslOutputWatcher implements FrameWatch {
    /** Samples one pull takes at most. */
    private static final int MAX_CHUNK = 64;

    /** How long a pull waits before the reader checks whether to stop. */
    private static final double PULL_TIMEOUT_S = 0.2;

    private final List<FrameStats> lanes = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<Inlet> inlets = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param outletNames the sessions' outlet stream names, in the sessions' order
     * @param outputs channels per sample (the decoder's outputs)
     * @param seconds the measured window's length
     * @param resolveTimeoutS how long to wait for each outlet to be found and to open
     */
    LslOutputWatcher(List<String> outletNames, int outputs, int seconds, double resolveTimeoutS) {
        try {
            for (String name : outletNames) {
                List<StreamInfo> found = Resolver.named(name, 1, resolveTimeoutS);
                if (found.isEmpty()) {
                    throw new IllegalStateException(
                            "no LSL outlet named '" + name + "' within " + resolveTimeoutS + " s");
                }
                Inlet inlet = new Inlet(found.get(0), InletConfig.defaults());
                inlets.add(inlet);
                inlet.open(resolveTimeoutS);
                FrameStats stats = new FrameStats(seconds);
                lanes.add(stats);
                Thread t = new Thread(() -> read(inlet, stats, outputs), "e2e-lsl-watch-" + name);
                t.setDaemon(true);
                readers.add(t);
            }
        } catch (RuntimeException e) {
            for (Inlet inlet : inlets) {
                inlet.close();
            }
            throw e;
        }
        readers.forEach(Thread::start);
    }

    private void read(Inlet inlet, FrameStats stats, int outputs) {
        float[] one = new float[outputs];
        double[] oneStamp = new double[1];
        float[] data = new float[MAX_CHUNK * outputs];
        double[] stamps = new double[MAX_CHUNK];
        while (!stopping) {
            // liblsl's pull with a timeout returns when the buffer is full: wait for one sample,
            // then take what else is there without waiting (a pull of 64 would wait for 64).
            if (inlet.pullChunk(one, oneStamp, PULL_TIMEOUT_S) == 0) {
                continue;
            }
            long nowNs = System.nanoTime(); // LSL's clock is CLOCK_MONOTONIC, as nanoTime here
            stats.onSample(oneStamp[0], nowNs);
            int n = inlet.pullChunk(data, stamps, 0.0);
            if (n > 0) {
                // Read after this pull: a sample pushed since nowNs may be among these, and its
                // latency from nowNs would be negative (recorded as 0).
                long restNs = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    stats.onSample(stamps[i], restNs);
                }
            }
        }
    }

    @Override
    public List<FrameStats> lanes() {
        return lanes;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : readers) {
            t.join(2_000);
        }
        for (Inlet inlet : inlets) {
            inlet.close();
        }
    }
}
