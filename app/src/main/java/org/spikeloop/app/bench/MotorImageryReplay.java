package org.spikeloop.app.bench;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * A {@link SimulatedMotorImagery} published as a real LSL source, the way {@code spikeloop sim eeg}
 * publishes its generator: {@code <prefix>-eeg} (type EEG, float32 µV, the montage's channel
 * labels, at the generator's rate) and {@code <prefix>-markers} (type Markers, string, irregular),
 * each marker stamped with the stamp of the sample it starts at.
 *
 * <p>Pace: {@link #publish} pushes a range of samples in chunks of {@link #CHUNK_S}, {@code speed}
 * times faster than real time. Stamps stay on the data's own time axis (sample n is stamped {@code
 * originS + n / rate}), so a session's trial windows, which it places by the samples' stamps, do
 * not depend on the pace; with {@code originS} far enough in the past every stamp is in the past,
 * as a replayed file's are.
 *
 * <p>Threading: one caller thread. Control plane (allocates per push).
 */
final class MotorImageryReplay implements AutoCloseable {
    /** Seconds of EEG per push. */
    static final double CHUNK_S = 0.125;

    private final SimulatedMotorImagery data;
    private final double originS;
    private final double speed;
    private final Outlet eeg;
    private final Outlet markers;
    private final StreamInfo eegInfo;
    private final StreamInfo markerInfo;
    private int nextMarker;

    /**
     * @param prefix stream names are {@code <prefix>-eeg} and {@code <prefix>-markers}
     * @param channelLabels the montage's channel names
     * @param originS LSL stamp of sample 0
     * @param speed pace relative to real time, finite and &gt; 0
     */
    MotorImageryReplay(
            SimulatedMotorImagery data,
            String prefix,
            List<String> channelLabels,
            double originS,
            double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed: must be finite and > 0, got " + speed);
        }
        this.data = data;
        this.originS = originS;
        this.speed = speed;
        eegInfo =
                StreamInfo.builder(prefix + "-eeg", "EEG", data.channels(), ChannelFormat.FLOAT32)
                        .nominalSrateHz(data.sampleRateHz())
                        .sourceId(prefix + "-eeg")
                        .channelLabels(channelLabels)
                        .build();
        markerInfo =
                StreamInfo.builder(prefix + "-markers", "Markers", 1, ChannelFormat.STRING)
                        .nominalSrateHz(0)
                        .sourceId(prefix + "-markers")
                        .build();
        Outlet e = new Outlet(eegInfo);
        try {
            markers = new Outlet(markerInfo);
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        eeg = e;
    }

    StreamInfo eegInfo() {
        return eegInfo;
    }

    StreamInfo markerInfo() {
        return markerInfo;
    }

    /** Whether both outlets have a consumer (the session's inlets). */
    boolean haveConsumers() {
        return eeg.haveConsumers() && markers.haveConsumers();
    }

    /**
     * Publishes samples {@code [from, to)} and the markers among them, paced.
     *
     * @throws IllegalArgumentException if the range is outside the data or before what was
     *     published
     */
    void publish(int from, int to) {
        if (from < 0 || to > data.sampleCount() || from > to) {
            throw new IllegalArgumentException(
                    "samples [" + from + ", " + to + ") of " + data.sampleCount());
        }
        int c = data.channels();
        double rate = data.sampleRateHz();
        int chunk = Math.max(1, (int) Math.round(CHUNK_S * rate));
        float[] buf = new float[chunk * c];
        double[] stamps = new double[chunk];
        while (nextMarker < data.markerAt().length && data.markerAt()[nextMarker] < from) {
            nextMarker++;
        }
        long t0 = System.nanoTime();
        for (int s = from; s < to; s += chunk) {
            int n = Math.min(chunk, to - s);
            while (nextMarker < data.markerAt().length && data.markerAt()[nextMarker] < s + n) {
                int at = data.markerAt()[nextMarker];
                markers.pushChunk(
                        new String[] {data.markers().get(nextMarker)},
                        new double[] {originS + at / rate},
                        1);
                nextMarker++;
            }
            for (int i = 0; i < n; i++) {
                stamps[i] = originS + (s + i) / rate;
            }
            System.arraycopy(data.samples(), s * c, buf, 0, n * c);
            eeg.pushChunk(buf, stamps, n);
            long due = t0 + (long) ((s + n - from) / rate / speed * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    @Override
    public void close() {
        try {
            markers.close();
        } finally {
            eeg.close();
        }
    }
}
