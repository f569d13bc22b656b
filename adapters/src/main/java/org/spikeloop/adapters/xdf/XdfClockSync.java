package org.spikeloop.adapters.xdf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optional time-stamp post-processing of a read recording, reproducing pyxdf's {@code load_xdf}
 * defaults (pyxdf 1.17): (1) drop a trailing corrupted ClockOffset together with samples beyond the
 * footer's sample_count when both are present (pylsl#67); (2) split the ClockOffsets at clock
 * resets (backward collection times, or jumps in both time and value beyond MAD-based thresholds);
 * (3) per segment, fit offset = a + b·t robustly (Huber loss solved by ADMM, Boyd et al. 2011,
 * "Distributed optimization and statistical learning via ADMM", §6.1) on values scaled by the
 * winsor threshold 1e-4 s, and add it to the stamps; (4) dejitter regular streams by an ordinary
 * least-squares line through each segment between breaks (> max(1 s, 500 samples)).
 *
 * <p>Allocates freely; run once after reading, on the reading thread. Units: seconds.
 */
public final class XdfClockSync {
    private static final double EPS = Math.ulp(1.0);
    private static final double WINSOR_S = 1e-4;
    private static final Pattern SAMPLE_COUNT =
            Pattern.compile("<sample_count>\\s*(\\d+)\\s*</sample_count>");
    private static final Pattern CAN_DROP =
            Pattern.compile(
                    "<desc>.*<synchronization>.*<can_drop_samples>\\s*([^<]*?)\\s*</can_drop_samples>",
                    Pattern.DOTALL);

    private XdfClockSync() {}

    /** Applies steps (1) to (3) to every stream of {@code rec}. */
    public static void synchronize(XdfRecording rec, boolean handleClockResets) {
        for (XdfStream s : rec.streams()) {
            truncateCorruptedOffset(s);
        }
        for (XdfStream s : rec.streams()) {
            syncStream(s, handleClockResets);
        }
    }

    static void truncateCorruptedOffset(XdfStream s) {
        if (s.footerXml() == null) {
            return;
        }
        Matcher m = SAMPLE_COUNT.matcher(s.footerXml());
        if (!m.find()) {
            return;
        }
        long footerCount = Long.parseLong(m.group(1));
        if (s.sampleCount() <= footerCount) {
            return;
        }
        double[] times = s.clockTimes();
        double[] values = s.clockValues();
        if (times.length >= 3 && lastOffsetAnomalous(times, values)) {
            s.dropLastClockOffset();
            s.truncateSamples((int) footerCount);
        }
    }

    private static boolean lastOffsetAnomalous(double[] times, double[] values) {
        int n = times.length;
        double[] intervals = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            intervals[i] = times[i + 1] - times[i];
        }
        double medianInterval = median(Arrays.copyOf(intervals, n - 2));
        double lastInterval = Math.abs(intervals[n - 2]);
        double timeRatio;
        if (medianInterval > 0) {
            timeRatio = lastInterval / medianInterval;
        } else {
            timeRatio = lastInterval > 0 ? Double.POSITIVE_INFINITY : 1.0;
        }
        double[] head = Arrays.copyOf(values, n - 1);
        double med = median(head);
        double[] dev = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            dev[i] = Math.abs(head[i] - med);
        }
        double mad = median(dev);
        double z = mad > EPS ? Math.abs(values[n - 1] - med) / (1.4826 * mad) : 0.0;
        return timeRatio > 10.0 || z > 10.0;
    }

    private static void syncStream(XdfStream s, boolean handleClockResets) {
        int nStamps = s.sampleCount();
        double[] times = s.clockTimes();
        double[] values = s.clockValues();
        if (nStamps == 0 || times.length == 0) {
            return;
        }
        List<int[]> ranges =
                handleClockResets && times.length > 1
                        ? resetRanges(times, values)
                        : List.of(new int[] {0, times.length - 1});
        List<double[]> coefs = new ArrayList<>(ranges.size());
        for (int[] r : ranges) {
            if (r[0] != r[1]) {
                coefs.add(robustLine(times, values, r[0], r[1] + 1));
            } else {
                coefs.add(new double[] {values[r[0]], 0});
            }
        }
        double[] ts = s.stampsArray();
        if (ranges.size() == 1) {
            double[] c = coefs.get(0);
            for (int i = 0; i < nStamps; i++) {
                ts[i] += c[0] + c[1] * ts[i];
            }
            return;
        }
        int tsStart = 0;
        for (int k = 0; k < ranges.size(); k++) {
            int[] r = ranges.get(k);
            int stop = r[1] + 1;
            int tsStop;
            if (stop < times.length) {
                // first stamp closer to the next segment's first collection time ends this one
                double endT = times[r[1]];
                double nextT = times[stop];
                tsStop = nStamps;
                for (int i = tsStart; i < nStamps; i++) {
                    if (!(Math.abs(ts[i] - endT) < Math.abs(ts[i] - nextT))) {
                        tsStop = i;
                        break;
                    }
                }
            } else {
                tsStop = nStamps;
            }
            if (tsStart != tsStop) {
                double[] c = coefs.get(k);
                for (int i = tsStart; i < tsStop; i++) {
                    ts[i] += c[0] + c[1] * ts[i];
                }
                tsStart = tsStop;
            }
        }
    }

    /** Inclusive index ranges of ClockOffsets between detected clock resets. */
    static List<int[]> resetRanges(double[] times, double[] values) {
        int n = times.length;
        double[] dt = new double[n - 1];
        double[] dv = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            dt[i] = times[i + 1] - times[i];
            dv[i] = values[i + 1] - values[i];
        }
        boolean[] timeGlitch = glitches(dt, 5, 5);
        boolean[] valueGlitch = glitches(dv, 10, 1);
        List<int[]> ranges = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n - 1; i++) {
            boolean reset = dt[i] < 0 || (timeGlitch[i] && valueGlitch[i]);
            if (reset) {
                ranges.add(new int[] {start, i});
                start = i + 1;
            }
        }
        ranges.add(new int[] {start, n - 1});
        return ranges;
    }

    private static boolean[] glitches(double[] diff, double threshStds, double threshS) {
        double med = median(diff.clone());
        double[] absShift = new double[diff.length];
        for (int i = 0; i < diff.length; i++) {
            absShift[i] = Math.abs(diff[i] - med);
        }
        double mad = median(absShift.clone()) + EPS;
        boolean[] out = new boolean[diff.length];
        for (int i = 0; i < diff.length; i++) {
            double std = (diff[i] - med) / mad;
            out[i] = Math.abs(std) > threshStds && absShift[i] > threshS;
        }
        return out;
    }

    /** numpy's median: mean of the two middle values for even lengths. Sorts {@code a}. */
    static double median(double[] a) {
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2.0;
    }

    /**
     * Robust line offset = c0 + c1·t over ClockOffsets [from, to): Huber-loss regression by 1000
     * ADMM iterations with rho = 1 on [1, t/w] → v/w, w = 1e-4 s; the abscissa is shifted by its
     * minimum for conditioning. Returns {c0 (s), c1}, or {0, 0} when the design is singular.
     */
    static double[] robustLine(double[] times, double[] values, int from, int to) {
        int m = to - from;
        double[] a1 = new double[m];
        double[] y = new double[m];
        // The minimum is taken in a loop of its own with a plain comparison: JDK 17's C2 crashed
        // (ShouldNotReachHere in TypeVect::xmeet) compiling the fused copy-and-Math.min loop.
        double first = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            if (times[i] < first) {
                first = times[i];
            }
        }
        double offset = first / WINSOR_S;
        for (int i = 0; i < m; i++) {
            a1[i] = times[from + i] / WINSOR_S;
            y[i] = values[from + i] / WINSOR_S;
        }
        double s0 = m;
        double s1 = 0;
        double s11 = 0;
        double aty0 = 0;
        double aty1 = 0;
        // The shift and the sums are separate loops, and so are b0 and b1 below: JDK 17.0.15's C2
        // still crashed (ShouldNotReachHere in TypeVect::xmeet, from MulNode::Identity, in
        // SuperWord) compiling this method with a product summed in the loop that also wrote or
        // computed its factor, after ~3000 calls of 30-50 offsets (XdfClockSyncTest reproduces
        // it: a server died loading a recording for a job). The sums keep their order, so the
        // results are bit for bit those of the fused loops.
        for (int i = 0; i < m; i++) {
            a1[i] -= offset;
        }
        for (int i = 0; i < m; i++) {
            double ai = a1[i];
            s1 += ai;
            s11 += ai * ai;
            aty0 += y[i];
            aty1 += ai * y[i];
        }
        // Cholesky of A^T A = [[s0, s1], [s1, s11]] = L L^T
        double l00 = Math.sqrt(s0);
        double l10 = s1 / l00;
        double d = s11 - l10 * l10;
        if (!(d > 0)) {
            return new double[] {0, 0};
        }
        double l11 = Math.sqrt(d);
        double[] z = new double[m];
        double[] u = new double[m];
        double x0 = 0;
        double x1 = 0;
        final double rho = 1;
        for (int it = 0; it < 1000; it++) {
            double b0 = aty0;
            double b1 = aty1;
            for (int i = 0; i < m; i++) {
                b0 += z[i] - u[i];
            }
            for (int i = 0; i < m; i++) {
                b1 += a1[i] * (z[i] - u[i]);
            }
            // forward solve L q = b, then back solve L^T x = q
            double q0 = b0 / l00;
            double q1 = (b1 - l10 * q0) / l11;
            x1 = q1 / l11;
            x0 = (q0 - l10 * x1) / l00;
            for (int i = 0; i < m; i++) {
                double di = x0 + a1[i] * x1 - y[i] + u[i];
                double inv = di != 0 ? 1 / di : 0;
                double tmp = Math.max(0, 1 - (1 + 1 / rho) * Math.abs(inv));
                double zi = rho / (1 + rho) * di + 1 / (1 + rho) * tmp * di;
                z[i] = zi;
                u[i] = di - zi;
            }
        }
        x0 -= x1 * offset;
        return new double[] {x0 * WINSOR_S, x1};
    }

    /** Step (4): least-squares dejittering of regular streams, segment by segment. */
    public static void dejitter(XdfRecording rec) {
        for (XdfStream s : rec.streams()) {
            double rate = s.info().nominalSrateHz();
            int n = s.sampleCount();
            if (n == 0 || rate == 0 || canDropSamples(s.headerXml())) {
                continue;
            }
            double tdiff = 1.0 / rate;
            double breakS = Math.max(1.0, 500 * tdiff);
            double[] ts = s.stampsArray();
            int start = 0;
            for (int i = 0; i < n; i++) {
                boolean end = i == n - 1 || Math.abs(ts[i + 1] - ts[i]) > breakS;
                if (end) {
                    fitLine(ts, start, i);
                    start = i + 1;
                }
            }
        }
    }

    private static boolean canDropSamples(String headerXml) {
        Matcher m = CAN_DROP.matcher(headerXml);
        return m.find() && m.group(1).equalsIgnoreCase("true");
    }

    /** Replaces ts[from..to] (inclusive) by the least-squares line through (index, stamp). */
    private static void fitLine(double[] ts, int from, int to) {
        int n = to - from + 1;
        if (n == 1) {
            return;
        }
        double meanI = (from + to) / 2.0;
        double meanT = 0;
        for (int i = from; i <= to; i++) {
            meanT += ts[i];
        }
        meanT /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = from; i <= to; i++) {
            double di = i - meanI;
            sxy += di * (ts[i] - meanT);
            sxx += di * di;
        }
        double slope = sxy / sxx;
        for (int i = from; i <= to; i++) {
            ts[i] = meanT + slope * (i - meanI);
        }
    }
}
