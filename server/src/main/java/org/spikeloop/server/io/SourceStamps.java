package org.spikeloop.server.io;

/**
 * The time-stamp rule of one input stream (a session's samples or labels, from gRPC ingest or LSL):
 * every row handed to the engine and the recording carries a stamp that is finite and never earlier
 * than the stream's previous one, whatever the source sent. One rule, applied to each row in
 * arrival order:
 *
 * <ol>
 *   <li>A stamp is <b>accepted</b> as sent when it is finite, {@code |s| <= }{@link #MAX_ABS_S},
 *       not earlier than the previous stamp {@code p}, and not further ahead of {@code p} than the
 *       arrival clock advanced since that row plus {@link #MAX_LEAD_S}: {@code p <= s <= p + (a -
 *       a_p) + MAX_LEAD_S}, where {@code a} is this row's arrival time on the server's monotonic
 *       clock and {@code a_p} the previous row's. The first row of a stream needs only the first
 *       two conditions.
 *   <li>Otherwise the row keeps its values and is <b>repaired</b>: its stamp becomes {@code p +
 *       1/rate} for a regular stream, {@code p + max(0, a - a_p)} for an irregular one, and its
 *       arrival time for a stream's first row. Every repair is counted ({@link #repaired()}).
 *   <li>A source whose clock jumped forward (a restarted sender, or a first stamp that was wrong)
 *       is followed after {@link #REANCHOR_ROWS} consecutive rows whose stamps break only the lead
 *       bound and agree with each other (each within the same bounds of the previous one): the
 *       stream then continues from the new stamps, still never going back. A clock that jumped
 *       backwards cannot be followed without going back, so its rows stay repaired (and counted)
 *       until the stream is opened again.
 * </ol>
 *
 * So a single NaN, ±1e300 or descending stamp costs one repaired row, never a recording that goes
 * backwards (pyxdf's clock synchronisation and dejittering assume ascending stamps) and never an
 * end-to-end latency measured from a wrong stamp.
 *
 * <p>Threading: the stream's single producer. Allocation: none.
 */
public final class SourceStamps {
    /**
     * Largest stamp magnitude accepted, seconds: ~317 years, enough for an LSL clock (seconds since
     * boot) and for Unix time, small enough that a 1 kHz step still changes the double.
     */
    public static final double MAX_ABS_S = 1e10;

    /** How far stamps may run ahead of the arrival clock from one row to the next, seconds. */
    public static final double MAX_LEAD_S = 1.0;

    /** Consecutive self-consistent rows ahead of the lead bound after which the stream follows. */
    public static final int REANCHOR_ROWS = 8;

    private final double periodS; // 1 / rate, or 0 for an irregular stream
    private boolean started;
    private double previousS;
    private double previousArrivalS;
    private int aheadRun;
    private double aheadS;
    private double aheadArrivalS;
    private long repaired;

    /**
     * @param rateHz the stream's nominal rate, 0 for an irregular stream
     */
    public SourceStamps(double rateHz) {
        this.periodS = rateHz > 0 ? 1.0 / rateHz : 0.0;
    }

    /**
     * Applies the rule to the next row of the stream.
     *
     * @param stampS the stamp the source sent (any value)
     * @param arrivalS the row's arrival time on the server's monotonic clock, seconds
     * @return the stamp to hand on and record
     */
    public double next(double stampS, double arrivalS) {
        final double s = stampS;
        if (!started) {
            started = true;
            return keep(plausible(s) ? s : repair(arrivalS), arrivalS);
        }
        if (!plausible(s) || s < previousS) {
            aheadRun = 0;
            return keep(repair(repairedStampS(arrivalS)), arrivalS);
        }
        if (s <= previousS + (arrivalS - previousArrivalS) + MAX_LEAD_S) {
            aheadRun = 0;
            return keep(s, arrivalS);
        }
        // Ahead of the lead bound: a wrong stamp, or the first rows of a clock that jumped.
        if (aheadRun > 0 && s >= aheadS && s <= aheadS + (arrivalS - aheadArrivalS) + MAX_LEAD_S) {
            aheadRun++;
        } else {
            aheadRun = 1;
        }
        aheadS = s;
        aheadArrivalS = arrivalS;
        if (aheadRun >= REANCHOR_ROWS) {
            aheadRun = 0;
            return keep(s, arrivalS);
        }
        return keep(repair(repairedStampS(arrivalS)), arrivalS);
    }

    /** Rows whose stamp was repaired so far. */
    public long repaired() {
        return repaired;
    }

    private static boolean plausible(double s) {
        return s >= -MAX_ABS_S && s <= MAX_ABS_S; // false for NaN too
    }

    private double repairedStampS(double arrivalS) {
        return previousS + (periodS > 0 ? periodS : Math.max(0.0, arrivalS - previousArrivalS));
    }

    private double repair(double stampS) {
        repaired++;
        return stampS;
    }

    private double keep(double stampS, double arrivalS) {
        previousS = stampS;
        previousArrivalS = arrivalS;
        return stampS;
    }
}
