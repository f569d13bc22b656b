package org.spikeloop.adapters.lsl;

/**
 * Liveness of one regular-rate stream: {@link State#STALLED} once no sample has arrived for {@code
 * stallFactor} expected arrival intervals, {@link State#LIVE} again when data returns. Irregular
 * streams (markers, events) never stall. With liblsl's recovery on, a vanished outlet is never
 * "lost"; it only times out, which this class turns into a counted stall.
 *
 * <p>Time comes from the caller ({@code nowNs}, any monotonic nanosecond clock) so the source agent
 * reads its clock once per cycle and tests drive time. Allocation-free; owned by one thread.
 */
public final class LivenessMonitor {
    /** Stream state as seen by the reader. */
    public enum State {
        /** No sample yet. */
        WAITING,
        LIVE,
        STALLED
    }

    private final boolean regular;
    private final long stallAfterNs;
    private State state = State.WAITING;
    private long lastSampleNs;
    private long stalls;
    private long resumes;

    /**
     * @param nominalSrateHz the stream's nominal rate; 0 means irregular (never stalls)
     * @param samplesPerArrival samples expected per arrival (chunk size; 1 if unknown)
     * @param stallFactor k: stalled after k expected intervals without data; must be > 1
     */
    public LivenessMonitor(double nominalSrateHz, int samplesPerArrival, double stallFactor) {
        if (!(nominalSrateHz >= 0) || Double.isInfinite(nominalSrateHz)) {
            throw new IllegalArgumentException(
                    "nominalSrateHz: must be finite and >= 0, got " + nominalSrateHz);
        }
        if (samplesPerArrival < 1) {
            throw new IllegalArgumentException(
                    "samplesPerArrival: must be >= 1, got " + samplesPerArrival);
        }
        if (!(stallFactor > 1)) {
            throw new IllegalArgumentException("stallFactor: must be > 1, got " + stallFactor);
        }
        this.regular = nominalSrateHz > 0;
        this.stallAfterNs =
                regular ? (long) (stallFactor * samplesPerArrival * 1e9 / nominalSrateHz) : 0;
    }

    /** Nanoseconds without data after which a regular stream is stalled (0 when irregular). */
    public long stallAfterNs() {
        return stallAfterNs;
    }

    /** Records {@code count} samples arriving at {@code nowNs}; returns the state afterwards. */
    public State onSamples(int count, long nowNs) {
        if (count <= 0) {
            return check(nowNs);
        }
        if (state == State.STALLED) {
            resumes++;
        }
        lastSampleNs = nowNs;
        state = State.LIVE;
        return state;
    }

    /** The state at {@code nowNs}; a transition LIVE→STALLED is counted once. */
    public State check(long nowNs) {
        if (regular && state == State.LIVE && nowNs - lastSampleNs > stallAfterNs) {
            state = State.STALLED;
            stalls++;
        }
        return state;
    }

    public State state() {
        return state;
    }

    /** Times the stream went from live to stalled. */
    public long stalls() {
        return stalls;
    }

    /** Times the stream came back after a stall. */
    public long resumes() {
        return resumes;
    }
}
