package org.spikeloop.learn.eprop;

/**
 * When the float learner's windowed work happens: which window fills, when it closes, when an
 * update falls due, and how much of the queued work each step does, so that no step pays for a
 * whole window (the per-window work itself is {@link Work}'s).
 *
 * <p><b>Windows.</b> A window is up to W steps; it closes when full, when an update falls due
 * (every {@code updateIntervalSteps} learning steps, or at {@link #endTrial()} when anything was
 * learned since the last update), at a trial end, or on {@link #flush()}. Closed windows queue,
 * oldest first, in a ring of {@value #SLOTS} slots (one filling, up to three queued).
 *
 * <p><b>Spreading the work.</b> Each step does a bounded share of the oldest queued work: the
 * backward recursion (Bellec et al. 2020, Methods eqs. (13)–(28) in adjoint form, {@link
 * WindowCoefficients}) of up to ⌈H/W⌉ neurons, then up to ⌈P/W⌉ presynaptic rows of merge (and, for
 * a window that closed an update, of update). A window's merge starts once all its coefficients are
 * known, so it is complete about 2W steps after it closed. The quotas are latched at each close so
 * that everything queued before the newest window is done by the next close: after a window closed
 * early (an update or trial end mid-window) the backlog is spread over the next W steps instead of
 * being paid in one. Only a run of windows shorter than W fills the ring; the oldest is then
 * completed in one step and counted ({@link #forcedDrains()}).
 *
 * <p><b>Abandoned updates.</b> When {@link Work#finishUpdate} reports a non-finite update, the
 * windows queued after it carry the state that went non-finite and are dropped unmerged.
 *
 * <p>Single owner (the engine thread). Allocation: none after construction.
 */
final class WindowSchedule {
    /** Window buffers in the ring: one filling, up to three closed and queued. */
    static final int SLOTS = 4;

    /** Per-step budget of per-synapse state traffic that {@link #autoWindowSteps} aims at. */
    static final long TRAFFIC_BUDGET_BYTES = 512 * 1024;

    /** Smallest and largest W {@link #autoWindowSteps} picks. */
    static final int MIN_AUTO_WINDOW = 16;

    static final int MAX_AUTO_WINDOW = 64;

    /**
     * The work a window needs once it is closed, done in the order and amounts the schedule says.
     * Slots are indices in [0, {@value #SLOTS}).
     */
    interface Work {
        /**
         * The window in {@code slot} closed after {@code steps} steps (0: an update with no step
         * since the last close). With {@code update}, an update fell due with it (the readout's is
         * applied now, the synaptic rows as the window merges). {@code next} fills next.
         */
        void closed(int slot, int steps, boolean update, int next);

        /** Backward recursions of neurons [from, to) of the window in {@code slot}. */
        void coefficients(int slot, int steps, int from, int to);

        /** The update that fell due with {@code slot} starts (its rows follow). */
        void beginUpdate(int slot);

        /**
         * Presynaptic rows [from, to) of the window in {@code slot}: each merged (when {@code
         * steps} &gt; 0) then, with {@code update}, updated, while it is in cache.
         */
        void rows(int slot, int steps, boolean update, int from, int to);

        /**
         * The update's last row is done.
         *
         * @return false if the update was abandoned (non-finite): the queued windows are dropped
         */
        boolean finishUpdate(int slot);

        /** The window in {@code slot} is dropped unmerged: forget what it recorded. */
        void discard(int slot);
    }

    private final Work work;
    private final int window;
    private final int rows;
    private final int neurons;
    private final int updateIntervalSteps;
    private final int rowsPerStep;
    private final int neuronsPerStep;
    private final int[] length = new int[SLOTS];
    private final boolean[] update = new boolean[SLOTS];
    private final int[] coefficientsDone = new int[SLOTS]; // neurons whose coefficients are known
    private int filling;
    private int position;
    private int queued; // closed windows waiting: slots filling − queued .. filling − 1 (mod SLOTS)
    private int mergeRow; // next row of the oldest queued window to merge
    private int rowQuota; // rows merged per step, latched at each window close
    private int neuronQuota; // neurons' coefficients per step, latched at each window close
    private long forcedDrains;
    private long stepsSinceUpdate;
    private boolean learnedSinceUpdate;

    /**
     * @param window W, steps per window (&ge; 1)
     * @param rows P, presynaptic rows per window's merge
     * @param neurons H, neurons per window's recursion
     * @param updateIntervalSteps an update every N learning steps, or 0 for trial ends only
     * @param work what each window needs
     */
    WindowSchedule(int window, int rows, int neurons, int updateIntervalSteps, Work work) {
        this.window = window;
        this.rows = rows;
        this.neurons = neurons;
        this.updateIntervalSteps = updateIntervalSteps;
        this.work = work;
        rowsPerStep = (rows + window - 1) / window;
        neuronsPerStep = (neurons + window - 1) / window;
        rowQuota = rowsPerStep;
        neuronQuota = neuronsPerStep;
    }

    /**
     * The window W for {@link EpropConfig#AUTO_WINDOW}: every synapse's g and ē (and ε^a for ALIF)
     * are read and written once per window, 16 (LIF) or 24 (ALIF) bytes, so a step's share is
     * bytes·P·H/W; W is the smallest that keeps it within {@link #TRAFFIC_BUDGET_BYTES}, clamped to
     * [{@value #MIN_AUTO_WINDOW}, {@value #MAX_AUTO_WINDOW}] (below 16 the O(H) per-step overhead
     * dominates; above 64 the window buffers outgrow the caches and updates land later).
     *
     * @param presynaptic P = inputs + 1 (bias) + H (if recurrent)
     * @param neurons H
     * @param alif whether ε^a is carried per synapse
     */
    static int autoWindowSteps(int presynaptic, int neurons, boolean alif) {
        long bytes = (alif ? 24L : 16L) * presynaptic * neurons;
        long w = (bytes + TRAFFIC_BUDGET_BYTES - 1) / TRAFFIC_BUDGET_BYTES;
        return (int) Math.max(MIN_AUTO_WINDOW, Math.min(MAX_AUTO_WINDOW, w));
    }

    /** W. */
    int window() {
        return window;
    }

    /** The slot that is filling: the current step records there. */
    int fillingSlot() {
        return filling;
    }

    /** The current step's position in the filling window (0..W−1). */
    int position() {
        return position;
    }

    /** Closed windows whose work is not done yet. */
    int queued() {
        return queued;
    }

    /**
     * The current step is recorded: moves on, closes the window when full or when an update falls
     * due, and does this step's share of the queued work.
     *
     * @param learned whether the step learned (had a label and a finite error)
     */
    void stepRecorded(boolean learned) {
        position++;
        boolean updateNow = false;
        if (learned) {
            learnedSinceUpdate = true;
            stepsSinceUpdate++;
            updateNow = updateIntervalSteps > 0 && stepsSinceUpdate >= updateIntervalSteps;
        }
        if (updateNow) {
            requestUpdate();
        } else if (position == window) {
            close(false);
        }
        advance(rowQuota, neuronQuota);
    }

    /**
     * Ends a trial: closes the filling window and lets the update accumulated since the last one
     * fall due (its rows land over the next W steps, or at once on {@link #flush()}).
     */
    void endTrial() {
        if (learnedSinceUpdate) {
            requestUpdate();
        } else if (position > 0) {
            close(false);
        }
    }

    /** Completes every queued window's work (and due update) now. */
    void flush() {
        if (position > 0) {
            close(false);
        }
        while (queued > 0) {
            drainOldest();
        }
    }

    /** Windows completed in one step because the ring was full. */
    long forcedDrains() {
        return forcedDrains;
    }

    private void requestUpdate() {
        close(true);
        stepsSinceUpdate = 0;
        learnedSinceUpdate = false;
    }

    /**
     * Closes the filling window (n = position steps) and queues it; latches the per-step quotas: in
     * steady state ⌈P/W⌉ rows and ⌈H/W⌉ neurons per step, after a short window enough to finish the
     * backlog within the next W steps.
     */
    private void close(boolean withUpdate) {
        if (queued == SLOTS - 1) {
            drainOldest(); // ring full (windows shorter than W in a row): pay for the oldest now
            forcedDrains++;
        }
        int n = position;
        int k = filling;
        int next = (k + 1) % SLOTS;
        length[k] = n;
        update[k] = withUpdate;
        coefficientsDone[k] = n > 0 ? 0 : neurons;
        work.closed(k, n, withUpdate, next);
        queued++;
        filling = next;
        position = 0;
        long rowsLeft = -mergeRow;
        long neuronsLeft = 0;
        for (int q = queued; q >= 1; q--) {
            int s = slotAgo(q);
            if (q > 1) {
                rowsLeft += rows;
            }
            neuronsLeft += neurons - coefficientsDone[s];
        }
        rowQuota = (int) Math.max(rowsPerStep, (rowsLeft + window - 1) / window);
        neuronQuota = (int) Math.max(neuronsPerStep, (neuronsLeft + window - 1) / window);
    }

    /** The slot closed {@code ago} windows before the filling one (1 = the newest closed). */
    private int slotAgo(int ago) {
        return (filling - ago + SLOTS) % SLOTS;
    }

    /**
     * One step's share of the queued work, oldest window first: coefficients of up to {@code
     * neuronBudget} neurons, then up to {@code rowBudget} rows of merge (and update).
     */
    private void advance(int rowBudget, int neuronBudget) {
        int neuronsLeft = neuronBudget;
        for (int q = queued; q >= 1 && neuronsLeft > 0; q--) {
            int s = slotAgo(q);
            int from = coefficientsDone[s];
            if (from < neurons) {
                int to = Math.min(neurons, from + neuronsLeft);
                work.coefficients(s, length[s], from, to);
                coefficientsDone[s] = to;
                neuronsLeft -= to - from;
            }
        }
        int rowsLeft = rowBudget;
        while (queued > 0 && rowsLeft > 0) {
            int s = slotAgo(queued);
            if (coefficientsDone[s] < neurons) {
                return;
            }
            rowsLeft -= mergeRows(s, rowsLeft);
        }
    }

    /** Completes the oldest queued window now (coefficients, merge, update). */
    private void drainOldest() {
        int s = slotAgo(queued);
        if (coefficientsDone[s] < neurons) {
            work.coefficients(s, length[s], coefficientsDone[s], neurons);
            coefficientsDone[s] = neurons;
        }
        mergeRows(s, rows);
    }

    /**
     * Up to {@code budget} rows of the oldest queued window, slot {@code k}; dequeues it when its
     * last row is done.
     *
     * @return the rows processed
     */
    private int mergeRows(int k, int budget) {
        final boolean withUpdate = update[k];
        if (withUpdate && mergeRow == 0) {
            work.beginUpdate(k);
        }
        int from = mergeRow;
        int end = (int) Math.min((long) from + budget, rows);
        work.rows(k, length[k], withUpdate, from, end);
        mergeRow = end;
        if (end == rows) {
            mergeRow = 0;
            queued--;
            if (withUpdate && !work.finishUpdate(k)) {
                // The windows queued after it carry the state that went non-finite: drop them.
                for (; queued > 0; queued--) {
                    work.discard(slotAgo(queued));
                }
            }
        }
        return end - from;
    }
}
