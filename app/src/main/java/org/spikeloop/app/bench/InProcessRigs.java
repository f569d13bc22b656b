package org.spikeloop.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Rigs as threads of the benchmark's process: per rig an LSL outlet and a thread ({@code
 * e2e-rig-k}) that pushes one sample of random spikes every 1/rate s on absolute deadlines (parking
 * until 50 µs before each, then spinning), stamped with the LSL clock just before the push. Rig k
 * starts k/K of a period after rig 0, as independent rigs have unrelated phases (rigs in lockstep
 * would hand the engine all K samples at once every period).
 */
final class InProcessRigs implements E2eRigs {
    private final List<Outlet> outlets = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicLong> pushed = new ArrayList<>();
    private final int channels;
    private final int rateHz;
    private final double spikeProbability;
    private volatile boolean pushing = true;

    InProcessRigs(int count, int channels, int rateHz, double spikeProbability) {
        this.channels = channels;
        this.rateHz = rateHz;
        this.spikeProbability = spikeProbability;
        for (int k = 0; k < count; k++) {
            String name = "spikeloop-e2e-" + UUID.randomUUID();
            names.add(name);
            outlets.add(
                    new Outlet(
                            StreamInfo.builder(name, "Spikes", channels, ChannelFormat.FLOAT32)
                                    .nominalSrateHz(rateHz)
                                    .sourceId(name)
                                    .build()));
            pushed.add(new AtomicLong());
        }
    }

    @Override
    public List<String> streamNames() {
        return names;
    }

    @Override
    public void startPushing() {
        for (Outlet o : outlets) {
            o.waitForConsumers(10);
        }
        long startNs = System.nanoTime();
        long periodNs = 1_000_000_000L / rateHz;
        for (int k = 0; k < outlets.size(); k++) {
            final int rig = k;
            long laneStartNs = startNs + periodNs * k / outlets.size();
            Thread t = new Thread(() -> push(rig, laneStartNs, periodNs), "e2e-rig-" + k);
            t.start();
            threads.add(t);
        }
    }

    private void push(int rig, long startNs, long periodNs) {
        Outlet outlet = outlets.get(rig);
        AtomicLong count = pushed.get(rig);
        SplittableRandom rng = new SplittableRandom(rig);
        float[] x = new float[channels];
        double[] ts = new double[1];
        long next = startNs;
        while (pushing) {
            next += periodNs;
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                if (wait > 100_000) {
                    LockSupport.parkNanos(wait - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            for (int i = 0; i < channels; i++) {
                x[i] = rng.nextDouble() < spikeProbability ? 1f : 0f;
            }
            ts[0] = Lsl.localClockS();
            outlet.pushChunk(x, ts, 1);
            count.incrementAndGet();
        }
    }

    @Override
    public long[] stop() throws InterruptedException {
        pushing = false;
        for (Thread t : threads) {
            t.join();
        }
        long[] out = new long[pushed.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = pushed.get(k).get();
        }
        return out;
    }

    @Override
    public List<ProcessHandle> processes() {
        return List.of(); // threads of this process: its bench role
    }

    @Override
    public String describe() {
        return "internal";
    }

    @Override
    public void close() {
        pushing = false;
        for (Thread t : threads) {
            try {
                t.join(5_000); // never destroy an outlet a rig thread may still push to
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // leave the outlets to the process's exit
            }
        }
        for (Outlet o : outlets) {
            o.close();
        }
    }
}
