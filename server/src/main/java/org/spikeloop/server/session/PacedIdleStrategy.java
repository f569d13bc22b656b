package org.spikeloop.server.session;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * Parks an idle engine thread until shortly before its work is due again, then polls as {@code
 * sleep} does ({@code engine.idleStrategy=paced}).
 *
 * <p>Why: a polling thread that parks 50 µs at a time runs ≈ 20 000 park/poll cycles a second, ≈ 14
 * µs of CPU each on a virtual machine (docs/benchmarks.md, "Where an idle engine's CPU goes"): a
 * third of a core for one 1-kHz session whose steps take a twentieth. Its work comes from sampled
 * streams, so it recurs at the sample period.
 *
 * <p>How: consecutive cycles that did work form one <em>episode</em> (a sample pulled, stepped,
 * published, recorded). The thread keeps the intervals between the starts of its last {@link
 * #HISTORY} episodes and, after an episode, parks until {@code start + expected interval − margin};
 * from then on, and whenever that would be shorter, it parks {@code basePark} at a time. The
 * expected interval is a low quantile of those remembered ({@link #PERIOD_QUANTILE}), so that one
 * late sample does not move it and a thread serving several streams of random phases sees short
 * intervals and parks as {@code sleep} does. The margin covers a late sample: the next one, on
 * time, comes sooner than a period after it, and is still found at once when the late one was late
 * by less than the margin (by more, it is found that much minus the margin late). No park is longer
 * than {@code maxPark}, which bounds how late an unannounced arrival (a command, a marker) is
 * noticed; a gRPC ingest chunk that hands rows on, and adding or removing an agent, unpark the
 * thread.
 *
 * <p>Threading: the pool's thread only. Allocation: none.
 */
final class PacedIdleStrategy implements IdleStrategy {
    /** Episode intervals remembered. */
    static final int HISTORY = 64;

    /**
     * The interval the thread expects is the 1/4 quantile of those remembered: below the stream's
     * period (a late sample's long interval and the short one after it do not move it), and short
     * when several streams of random phases share the thread.
     */
    static final int PERIOD_QUANTILE = 4;

    private final long baseParkNs;
    private final long maxParkNs;
    private final long marginNs;
    private final LongSupplier clock;
    private final LongConsumer parker;
    private final long[] intervals = new long[HISTORY]; // in arrival order (a ring)
    private final long[] sorted = new long[HISTORY]; // the same, ascending
    private int recorded;
    private int next;
    private long episodeStartNs;
    private boolean started;
    private boolean inEpisode;

    /**
     * @param baseParkNs the park while polling (as {@code sleep}'s)
     * @param maxParkNs the longest park
     * @param marginNs how long before the expected interval is up the thread polls again
     */
    PacedIdleStrategy(long baseParkNs, long maxParkNs, long marginNs) {
        this(baseParkNs, maxParkNs, marginNs, System::nanoTime, LockSupport::parkNanos);
    }

    PacedIdleStrategy(
            long baseParkNs,
            long maxParkNs,
            long marginNs,
            LongSupplier clock,
            LongConsumer parker) {
        if (baseParkNs <= 0 || maxParkNs < baseParkNs || marginNs < 0) {
            throw new IllegalArgumentException(
                    "paced idle: need 0 < base <= max and margin >= 0, got base "
                            + baseParkNs
                            + ", max "
                            + maxParkNs
                            + ", margin "
                            + marginNs);
        }
        this.baseParkNs = baseParkNs;
        this.maxParkNs = maxParkNs;
        this.marginNs = marginNs;
        this.clock = clock;
        this.parker = parker;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            if (!inEpisode) {
                inEpisode = true;
                startEpisode(clock.getAsLong());
            }
            return;
        }
        inEpisode = false;
        parker.accept(parkNs(clock.getAsLong()));
    }

    /** How long to park at {@code nowNs}, between episodes. */
    long parkNs(long nowNs) {
        if (recorded < HISTORY) {
            return baseParkNs; // not enough history to trust a period yet
        }
        long wait = episodeStartNs + sorted[HISTORY / PERIOD_QUANTILE] - marginNs - nowNs;
        return wait > baseParkNs ? Math.min(wait, maxParkNs) : baseParkNs;
    }

    private void startEpisode(long nowNs) {
        if (started) {
            long interval = nowNs - episodeStartNs;
            if (recorded == HISTORY) {
                removeSorted(intervals[next]);
            } else {
                recorded++;
            }
            intervals[next] = interval;
            next = (next + 1) % HISTORY;
            insertSorted(interval, recorded - 1);
        }
        episodeStartNs = nowNs;
        started = true;
    }

    /** Inserts into the first {@code size} sorted entries. */
    private void insertSorted(long value, int size) {
        int i = size;
        while (i > 0 && sorted[i - 1] > value) {
            sorted[i] = sorted[i - 1];
            i--;
        }
        sorted[i] = value;
    }

    /** Removes one entry equal to {@code value} from the full sorted history. */
    private void removeSorted(long value) {
        int i = 0;
        while (sorted[i] != value) {
            i++;
        }
        System.arraycopy(sorted, i + 1, sorted, i, HISTORY - 1 - i);
    }

    @Override
    public void idle() {
        parker.accept(baseParkNs);
    }

    @Override
    public void reset() {
        // the history stays: a reset ends a wait, not the streams' period
    }

    @Override
    public String alias() {
        return "paced";
    }
}
