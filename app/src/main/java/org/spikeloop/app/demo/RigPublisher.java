package org.spikeloop.app.demo;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.IntracorticalRig;

/**
 * A simulated intracortical rig as a real LSL source (the demo's, {@code spikeloop sim
 * intracortical}'s and {@code spikeloop bench decode}'s): two outlets, {@code <prefix>-spikes}
 * (type Spikes, float32 0/1 per unit, unit "spikes") and {@code <prefix>-kinematics} (type
 * Kinematics, float32 vx, vy, unit "m/s", channel labels vx, vy), both at the rig's rate with the
 * same time stamps, paced to the wall clock in chunks of {@code chunkSamples}, each pushed when its
 * last sample is due. Drift events are applied at their time in the stream (seconds of simulated
 * data since the first sample). With {@code maxSamples > 0} it stops by itself after that many
 * samples.
 *
 * <p>{@code speed} paces the stream up (or down): sample n is due {@code n / (rate · speed)}
 * seconds after the start and stamped with that time on the LSL clock, so stamps stay the moments
 * of publication (consumers' latencies stay true, labels and spikes keep sharing stamps) while the
 * streams' nominal rate and the drift times stay those of the simulated data. A 5-minute session at
 * speed 4 takes 75 s.
 *
 * <p>Threading: {@link #start} runs the loop on its own thread ({@code rig-publisher}); the
 * getters, {@link #stop} and {@link #awaitFinished} may be called from any thread. The loop
 * allocates nothing per chunk.
 */
public final class RigPublisher implements AutoCloseable {
    private final IntracorticalRig rig;
    private final DriftSchedule<IntracorticalRig> drift;
    private final int chunkSamples;
    private final double sampleRateHz;
    private final double speed;
    private final long maxSamples;
    private final Outlet spikes;
    private final Outlet kinematics;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean finished;
    private volatile double firstStampS = Double.NaN;
    private volatile long samplesPublished;
    private volatile double driftAppliedAtS = Double.NaN;

    /**
     * @param rig the rig (owned from now on by the publisher thread)
     * @param drift events on the stream's own time axis
     * @param streamPrefix LSL stream names are {@code <prefix>-spikes} and {@code
     *     <prefix>-kinematics}
     * @param sourceIdSuffix makes the source ids {@code <prefix>-spikes-<suffix>} unique (several
     *     rigs may run on one machine)
     * @param chunkSamples samples per push
     * @param sampleRateHz the rig's rate (the streams' nominal rate)
     * @param maxSamples samples to publish before stopping (0 = until {@link #stop})
     * @param speed publication pace relative to real time (1 = real time), finite and &gt; 0
     */
    public RigPublisher(
            IntracorticalRig rig,
            DriftSchedule<IntracorticalRig> drift,
            String streamPrefix,
            String sourceIdSuffix,
            int chunkSamples,
            double sampleRateHz,
            long maxSamples,
            double speed) {
        if (chunkSamples < 1) {
            throw new IllegalArgumentException("chunk: must be >= 1 sample, got " + chunkSamples);
        }
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed: must be finite and > 0, got " + speed);
        }
        this.rig = rig;
        this.drift = drift;
        this.chunkSamples = chunkSamples;
        this.sampleRateHz = sampleRateHz;
        this.speed = speed;
        this.maxSamples = maxSamples;
        this.spikes =
                new Outlet(
                        StreamInfo.builder(
                                        streamPrefix + "-spikes",
                                        "Spikes",
                                        rig.units(),
                                        ChannelFormat.FLOAT32)
                                .nominalSrateHz(sampleRateHz)
                                .sourceId(streamPrefix + "-spikes-" + sourceIdSuffix)
                                // the unit's spike count in the sample's bin
                                .channelUnit("spikes")
                                .build());
        this.kinematics =
                new Outlet(
                        StreamInfo.builder(
                                        streamPrefix + "-kinematics",
                                        "Kinematics",
                                        2,
                                        ChannelFormat.FLOAT32)
                                .nominalSrateHz(sampleRateHz)
                                .sourceId(streamPrefix + "-kinematics-" + sourceIdSuffix)
                                .channelLabels(List.of("vx", "vy"))
                                .channelUnit("m/s")
                                .build());
        this.thread = new Thread(this::run, "rig-publisher");
        this.thread.setDaemon(true);
    }

    public StreamInfo spikesInfo() {
        return spikes.info();
    }

    public StreamInfo kinematicsInfo() {
        return kinematics.info();
    }

    public void start() {
        thread.start();
    }

    /** LSL time stamp of the first sample (NaN before the first push). */
    public double firstStampS() {
        return firstStampS;
    }

    public long samplesPublished() {
        return samplesPublished;
    }

    /** Stream time (s) at which the first drift event was applied, NaN before. */
    public double driftAppliedAtS() {
        return driftAppliedAtS;
    }

    /** Whether the publisher thread has ended (duration reached or stopped). */
    public boolean isFinished() {
        return finished;
    }

    /** Waits until the publisher thread ends (its {@code maxSamples} published, or stopped). */
    public void awaitFinished() throws InterruptedException {
        thread.join();
    }

    /** Stops publishing after the current chunk and waits for the thread. */
    public void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    private void run() {
        final int units = rig.units();
        final int chunk = chunkSamples;
        final float[] spikeChunk = new float[units * chunk];
        final float[] kinChunk = new float[2 * chunk];
        final float[] frame = new float[units];
        final double[] velocity = new double[2];
        final double[] stamps = new double[chunk];
        final double publishRateHz = sampleRateHz * speed;
        final double startS = Lsl.localClockS();
        long produced = 0;
        firstStampS = startS;
        while (running && (maxSamples == 0 || produced < maxSamples)) {
            final int n = maxSamples == 0 ? chunk : (int) Math.min(chunk, maxSamples - produced);
            // A chunk goes out once its last sample is due, as a real amplifier's block does:
            // stamps never lie in the future, so consumers' latencies are never negative.
            waitUntilS(startS + (produced + n - 1) / publishRateHz);
            for (int s = 0; s < n; s++) {
                double streamTimeS = produced / sampleRateHz;
                if (drift.applyDue(streamTimeS, rig) > 0 && Double.isNaN(driftAppliedAtS)) {
                    driftAppliedAtS = streamTimeS;
                }
                rig.step(frame, velocity);
                System.arraycopy(frame, 0, spikeChunk, s * units, units);
                kinChunk[2 * s] = (float) velocity[0];
                kinChunk[2 * s + 1] = (float) velocity[1];
                stamps[s] = startS + produced / publishRateHz;
                produced++;
            }
            // Labels first: the engine applies labels up to each sample's time stamp.
            kinematics.pushChunk(kinChunk, stamps, n);
            spikes.pushChunk(spikeChunk, stamps, n);
            samplesPublished = produced;
        }
        finished = true;
    }

    /** Parks (no spinning: the engine needs the cores more than the rig needs precision). */
    private static void waitUntilS(double dueS) {
        long leftNs;
        while ((leftNs = (long) ((dueS - Lsl.localClockS()) * 1e9)) > 0) {
            LockSupport.parkNanos(leftNs);
        }
    }

    /** Stops the thread if it still runs, then closes both outlets. */
    @Override
    public void close() throws InterruptedException {
        stop();
        spikes.close();
        kinematics.close();
    }
}
