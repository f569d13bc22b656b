package org.spikeloop.app.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.spikeloop.proto.v1.DecodedFrame;

/**
 * What a watcher saw of the frames whose sample was stamped inside the measured window: the latency
 * from the sample's stamp to the frame's receipt and its three hops by the frame's own time stamps
 * (stamp → arrival the engine charged, arrival → published, published → received; one clock on
 * Linux), deadline misses flagged by the engine (in total, by second of the window, and each one's
 * arrival and decode time, for the GC overlap check), frames published in time but received after
 * their deadline, the watcher's dropped frames and the session's skipped samples.
 *
 * <p>Travels as JSON between an external watcher process and the benchmark ({@link #toJson}, {@link
 * #fromJson}; histograms HdrHistogram-encoded). Threading: {@link #onFrame} from one thread at a
 * time (synchronised), the rest after the window.
 */
final class FrameStats {
    private static final long HIGHEST_NS = 60_000_000_000L;

    /** Missed frames whose times are kept for the cause check. */
    static final int MAX_MISSED_KEPT = 200_000;

    final Histogram latencyNs = new Histogram(HIGHEST_NS, 3);
    final Histogram lslNs = new Histogram(HIGHEST_NS, 3);
    final Histogram engineNs = new Histogram(HIGHEST_NS, 3);
    final Histogram deliveryNs = new Histogram(HIGHEST_NS, 3);
    long received;
    long missed;
    long lateAtWatcher;
    long framesDropped;
    long samplesSkipped;
    long[] missedBySecond;
    long[] missedArrivalNs = new long[0];
    long[] missedDecodeNs = new long[0];
    int missedKept;

    private double fromS = Double.MAX_VALUE;
    private double toS = Double.MAX_VALUE;
    private long dtNs;

    FrameStats(int seconds) {
        this.missedBySecond = new long[seconds + 1];
    }

    /** Counts frames whose sample was stamped in [fromS, toS) (LSL clock), deadline dt. */
    synchronized void window(double from, double to, long deadlineNs) {
        this.fromS = from;
        this.toS = to;
        this.dtNs = deadlineNs;
    }

    synchronized void onFrame(DecodedFrame f) {
        long nowNs = System.nanoTime();
        framesDropped = f.getFramesDropped();
        samplesSkipped = Math.max(samplesSkipped, f.getSamplesSkipped());
        double stampS = f.getSourceTimestamp();
        if (stampS < fromS || stampS >= toS) {
            return;
        }
        long stampNs = (long) (stampS * 1e9);
        long arrivalNs = (long) (f.getArrivalTime() * 1e9);
        long decodeNs = (long) (f.getDecodeTime() * 1e9);
        record(latencyNs, nowNs - stampNs);
        record(lslNs, arrivalNs - stampNs);
        record(engineNs, decodeNs - arrivalNs);
        record(deliveryNs, nowNs - decodeNs);
        received++;
        if (f.getDeadlineMissed()) {
            missed++;
            int second = (int) (f.getArrivalTime() - fromS);
            missedBySecond[Math.max(0, Math.min(second, missedBySecond.length - 1))]++;
            keepMissed(arrivalNs, decodeNs);
        } else if (nowNs > arrivalNs + dtNs) {
            lateAtWatcher++;
        }
    }

    /**
     * A sample of a session's LSL outlet received at {@code nowNs}: its latency from the sample's
     * stamp only (an outlet sample carries no arrival, publish time or deadline flag).
     */
    synchronized void onSample(double stampS, long nowNs) {
        if (stampS < fromS || stampS >= toS) {
            return;
        }
        record(latencyNs, nowNs - (long) (stampS * 1e9));
        received++;
    }

    private void keepMissed(long arrivalNs, long decodeNs) {
        if (missedKept == MAX_MISSED_KEPT) {
            return;
        }
        if (missedKept == missedArrivalNs.length) {
            int n = Math.min(MAX_MISSED_KEPT, Math.max(1024, missedKept * 2));
            missedArrivalNs = java.util.Arrays.copyOf(missedArrivalNs, n);
            missedDecodeNs = java.util.Arrays.copyOf(missedDecodeNs, n);
        }
        missedArrivalNs[missedKept] = arrivalNs;
        missedDecodeNs[missedKept] = decodeNs;
        missedKept++;
    }

    private static void record(Histogram h, long ns) {
        h.recordValue(Math.max(0, Math.min(ns, HIGHEST_NS)));
    }

    /** Adds another lane's counts into this one (the run's totals). */
    synchronized void add(FrameStats o) {
        latencyNs.add(o.latencyNs);
        lslNs.add(o.lslNs);
        engineNs.add(o.engineNs);
        deliveryNs.add(o.deliveryNs);
        received += o.received;
        missed += o.missed;
        lateAtWatcher += o.lateAtWatcher;
        framesDropped += o.framesDropped;
        samplesSkipped += o.samplesSkipped;
        for (int i = 0; i < Math.min(missedBySecond.length, o.missedBySecond.length); i++) {
            missedBySecond[i] += o.missedBySecond[i];
        }
        for (int i = 0; i < o.missedKept; i++) {
            keepMissed(o.missedArrivalNs[i], o.missedDecodeNs[i]);
        }
    }

    /** Missed frames whose [arrival, published] overlapped one of {@code pauses}. */
    synchronized long missedInPauses(List<GcPauseLog.Pause> pauses) {
        long n = 0;
        for (int i = 0; i < missedKept; i++) {
            if (GcPauseLog.overlapsAny(pauses, missedArrivalNs[i], missedDecodeNs[i], 0)) {
                n++;
            }
        }
        return n;
    }

    synchronized JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("latency", encode(latencyNs));
        o.addProperty("lsl", encode(lslNs));
        o.addProperty("engine", encode(engineNs));
        o.addProperty("delivery", encode(deliveryNs));
        o.addProperty("received", received);
        o.addProperty("missed", missed);
        o.addProperty("late_at_watcher", lateAtWatcher);
        o.addProperty("frames_dropped", framesDropped);
        o.addProperty("samples_skipped", samplesSkipped);
        o.add("missed_by_second", longs(missedBySecond, missedBySecond.length));
        o.add("missed_arrival_ns", longs(missedArrivalNs, missedKept));
        o.add("missed_decode_ns", longs(missedDecodeNs, missedKept));
        return o;
    }

    static FrameStats fromJson(JsonObject o) {
        long[] bySecond = longs(o.getAsJsonArray("missed_by_second"));
        FrameStats s = new FrameStats(bySecond.length - 1);
        s.latencyNs.add(decode(o.get("latency").getAsString()));
        s.lslNs.add(decode(o.get("lsl").getAsString()));
        s.engineNs.add(decode(o.get("engine").getAsString()));
        s.deliveryNs.add(decode(o.get("delivery").getAsString()));
        s.received = o.get("received").getAsLong();
        s.missed = o.get("missed").getAsLong();
        s.lateAtWatcher = o.get("late_at_watcher").getAsLong();
        s.framesDropped = o.get("frames_dropped").getAsLong();
        s.samplesSkipped = o.get("samples_skipped").getAsLong();
        s.missedBySecond = bySecond;
        s.missedArrivalNs = longs(o.getAsJsonArray("missed_arrival_ns"));
        s.missedDecodeNs = longs(o.getAsJsonArray("missed_decode_ns"));
        s.missedKept = s.missedArrivalNs.length;
        return s;
    }

    private static String encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n));
    }

    private static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("watcher report: a histogram does not decode", e);
        }
    }

    private static JsonArray longs(long[] values, int n) {
        JsonArray a = new JsonArray(n);
        for (int i = 0; i < n; i++) {
            a.add(values[i]);
        }
        return a;
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
