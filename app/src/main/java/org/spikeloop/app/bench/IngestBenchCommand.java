package org.spikeloop.app.bench;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.GapDetector;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code spikeloop bench ingest}: an LSL outlet pushing 1 ms float32 chunks ({@code rate/1000}
 * samples of {@code channels} values) to a Spikeloop {@link Inlet} over loopback, in one process.
 * The sender paces chunks on absolute 1 ms deadlines, stamps samples on a regular sample clock (t0
 * + i/rate, so gaps are detectable) and notes the time just before each push; the receiver polls
 * (timeout 0, 20 µs park when empty) into preallocated buffers and records push→receive latency of
 * the newest chunk received in an HdrHistogram (µs). Loss is samples sent minus received after a 2
 * s drain, cross-checked by a {@link GapDetector}.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "LSL ingest throughput/latency: outlet -> Spikeloop inlet on loopback.")
public final class IngestBenchCommand implements Callable<Integer> {
    @Mixin StreamLoad load;

    @Mixin JsonOutput output;

    private volatile boolean sending = true;
    private volatile long samplesSent;

    /** Sender's System.nanoTime() just before pushing chunk k. */
    private AtomicLongArray pushNs;

    /** LSL stamp of sample 0; sample i is stamped t0 + i / rate, as a rig's sample clock would. */
    private volatile double stampZeroS;

    @Override
    public Integer call() throws Exception {
        load.validate();
        if (load.rateHz % 1000 != 0) {
            throw new IllegalArgumentException(
                    "--rate-hz: must be a multiple of 1000 (1 ms chunks), got " + load.rateHz);
        }
        int chunk = load.rateHz / 1000;
        String name = "spikeloop-ingest-" + UUID.randomUUID();
        StreamInfo info =
                StreamInfo.builder(name, "EEG", load.channels, ChannelFormat.FLOAT32)
                        .nominalSrateHz(load.rateHz)
                        .sourceId(name)
                        .build();
        try (Outlet outlet = new Outlet(info, 0, 10)) {
            StreamInfo resolved = Resolver.byProperty("name", name, 1, 10).get(0);
            try (Inlet inlet = new Inlet(resolved, InletConfig.defaults().withMaxBufferS(10))) {
                inlet.open(10);
                outlet.waitForConsumers(10);
                pushNs = new AtomicLongArray((int) (load.seconds * 1000) + 1);
                stampZeroS = Lsl.localClockS();
                Thread sender = new Thread(() -> send(outlet, chunk), "ingest-sender");
                sender.start();
                Histogram latencyUs = new Histogram(60_000_000L, 3);
                GapDetector gaps = new GapDetector(load.rateHz, 1.5);
                float[] data = new float[chunk * load.channels * 64];
                double[] ts = new double[chunk * 64];
                long received = 0;
                long t0 = System.nanoTime();
                long drainUntil = Long.MAX_VALUE;
                while (System.nanoTime() < drainUntil) {
                    int n = inlet.pullChunk(data, ts, 0.0);
                    if (n > 0) {
                        long nowNs = System.nanoTime();
                        received += n;
                        gaps.onTimestamps(ts, n);
                        int k = (int) (Math.round((ts[n - 1] - stampZeroS) * load.rateHz) / chunk);
                        long us = (nowNs - pushNs.get(k)) / 1000;
                        latencyUs.recordValue(
                                Math.max(0, Math.min(us, latencyUs.getHighestTrackableValue())));
                    } else {
                        LockSupport.parkNanos(20_000);
                    }
                    if (drainUntil == Long.MAX_VALUE && !sender.isAlive()) {
                        drainUntil = System.nanoTime() + 2_000_000_000L;
                    }
                    if (received >= samplesSent && !sender.isAlive()) {
                        break;
                    }
                }
                double elapsedS = (System.nanoTime() - t0) / 1e9;
                long sent = samplesSent;
                String out =
                        String.format(
                                Locale.ROOT,
                                "{\"channels\":%d,\"rate_hz\":%d,\"seconds\":%s,\"chunk_samples\":%d,"
                                        + "\"samples_sent\":%d,\"samples_received\":%d,\"samples_lost\":%d,"
                                        + "\"gaps\":%d,\"throughput_sps\":%.1f,\"values_per_s\":%.0f,"
                                        + "\"latency_p50_us\":%d,\"latency_p99_us\":%d,\"latency_max_us\":%d,"
                                        + "\"liblsl\":%d}",
                                load.channels,
                                load.rateHz,
                                load.seconds,
                                chunk,
                                sent,
                                received,
                                sent - received,
                                gaps.gaps(),
                                received / Math.min(elapsedS, load.seconds),
                                received
                                        * (double) load.channels
                                        / Math.min(elapsedS, load.seconds),
                                latencyUs.getValueAtPercentile(50),
                                latencyUs.getValueAtPercentile(99),
                                latencyUs.getMaxValue(),
                                Lsl.libraryVersion());
                System.out.println(output.json ? out : "spikeloop bench ingest: " + out);
                return sent == received ? 0 : 1;
            }
        }
    }

    private void send(Outlet outlet, int chunk) {
        float[] data = new float[chunk * load.channels];
        double[] ts = new double[chunk];
        long chunks = (long) (load.seconds * 1000);
        long start = System.nanoTime();
        double dt = 1.0 / load.rateHz;
        for (long k = 0; k < chunks && sending; k++) {
            long deadline = start + k * 1_000_000L;
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (k + i);
            }
            for (int i = 0; i < chunk; i++) {
                ts[i] = stampZeroS + (k * chunk + i) * dt;
            }
            pushNs.set((int) k, System.nanoTime());
            outlet.pushChunk(data, ts, chunk);
            samplesSent += chunk;
        }
    }
}
