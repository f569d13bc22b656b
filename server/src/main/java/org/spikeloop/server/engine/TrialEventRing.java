package org.spikeloop.server.engine;

/**
 * Bounded single-producer single-consumer ring of trial events, from a marker label source to the
 * engine: {@link #offerOpen} (a cue opened a trial window: its index, class, cue text and window
 * [start, end)) and {@link #offerClose} (the open window ends early, at a time stamp: an end cue,
 * the next cue's window, a vanished marker stream). Each event is stamped with the time from which
 * it holds (the window's start, the close time), on the clock of the samples' time stamps; the
 * engine applies an event before the first sample stamped at or after it, so a window holds exactly
 * the frames stamped in [start, end) however late the marker arrived. A window's own end needs no
 * event: the engine closes it at the first sample stamped at or after it.
 *
 * <p>Events are applied in ring order, so the producer offers them in the order they take effect; a
 * close stamped before the window it follows opens leaves that window empty (a cue cut short before
 * its start offset ran out).
 *
 * <p>Threading: one producer thread calls the {@code offer} methods, one consumer (the engine) the
 * {@code peek}/{@link #advance} methods; positions are published with release/acquire ordering
 * ({@link SpscPositions}). Allocation: none after construction (a cue's text is kept by reference).
 */
public final class TrialEventRing extends SpscPositions {
    /** An event that opens a trial window. */
    public static final byte OPEN = 1;

    /** An event that ends the open trial window early. */
    public static final byte CLOSE = 2;

    private final byte[] kind;
    private final double[] stampS; // OPEN: window start; CLOSE: close time
    private final double[] endS; // OPEN: window end (exclusive)
    private final int[] trial;
    private final int[] classIndex;
    private final String[] cue;

    /**
     * @param capacityEvents events the ring holds; rounded up to a power of two (&ge; 2)
     */
    public TrialEventRing(int capacityEvents) {
        super(checkedCapacity(capacityEvents));
        int capacity = capacity();
        this.kind = new byte[capacity];
        this.stampS = new double[capacity];
        this.endS = new double[capacity];
        this.trial = new int[capacity];
        this.classIndex = new int[capacity];
        this.cue = new String[capacity];
    }

    private static int checkedCapacity(int capacityEvents) {
        if (capacityEvents < 2) {
            throw new IllegalArgumentException(
                    "trial event ring capacity must be >= 2, got " + capacityEvents);
        }
        return RingCapacity.roundUp(capacityEvents);
    }

    /**
     * Heap bytes a ring of {@code capacityEvents} holds (admission's estimate, before it is built):
     * per event a kind, two stamps, a trial and a class index, and a cue reference.
     */
    public static long bytesFor(int capacityEvents) {
        long events = RingCapacity.roundUp(Math.max(2, capacityEvents));
        return events * (1 + 8 + 8 + 4 + 4 + 8);
    }

    /**
     * Offers a window that opens (producer thread only).
     *
     * @param trialIndex the trial's index among the session's cues
     * @param classIndex the cue's class
     * @param cueText the cue as it arrived (kept by reference)
     * @param startS window start, seconds
     * @param endS window end (exclusive), seconds, &gt; startS
     * @return false when the ring is full (nothing stored)
     */
    public boolean offerOpen(
            int trialIndex, int classIndex, String cueText, double startS, double endS) {
        return offer(OPEN, startS, endS, trialIndex, classIndex, cueText);
    }

    /**
     * Offers the end of the open window at {@code atS} (producer thread only).
     *
     * @return false when the ring is full (nothing stored)
     */
    public boolean offerClose(double atS) {
        return offer(CLOSE, atS, atS, -1, -1, null);
    }

    private boolean offer(byte k, double at, double end, int index, int cls, String text) {
        long t = claim();
        if (t < 0) {
            return false;
        }
        int slot = slot(t);
        kind[slot] = k;
        stampS[slot] = at;
        endS[slot] = end;
        trial[slot] = index;
        classIndex[slot] = cls;
        cue[slot] = text;
        publish(t);
        return true;
    }

    /** The oldest event's kind ({@link #OPEN} or {@link #CLOSE}); only when not empty. */
    public byte peekKind() {
        return kind[headSlot()];
    }

    /** The oldest event's stamp: the window's start (OPEN) or the close time (CLOSE). */
    public double peekStampS() {
        return stampS[headSlot()];
    }

    /** OPEN: the window's end (exclusive). */
    public double peekEndS() {
        return endS[headSlot()];
    }

    /** OPEN: the trial's index. */
    public int peekTrial() {
        return trial[headSlot()];
    }

    /** OPEN: the cue's class. */
    public int peekClass() {
        return classIndex[headSlot()];
    }

    /** OPEN: the cue's text. */
    public String peekCue() {
        return cue[headSlot()];
    }

    /** Consumes the oldest event (and lets go of its cue text). */
    public void advance() {
        cue[headSlot()] = null;
        advanceHead(1);
    }
}
