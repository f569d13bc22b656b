package org.spikeloop.server.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.spikeloop.learn.trials.ClassBiasCalibration;
import org.spikeloop.learn.trials.WindowedDecision;

/**
 * The trial windows of a marker-labelled session, on its engine: applies the label source's {@link
 * TrialEventRing} events by time stamp, holds the open window's one-hot label, aggregates the
 * readout over the window and decides each window when it ends ({@link WindowedDecision}: π =
 * softmax of the window-averaged leaky readout, or of the window's output spike counts for a
 * spike-count readout; decision = arg-max π), publishing it to the {@link DecisionRing}. The
 * decoder's outputs are the classes.
 *
 * <p><b>Membership.</b> A decoder step whose sample is stamped s belongs to the window [start, end)
 * when start ≤ s &lt; end (as {@link org.spikeloop.learn.trials.Trial#contains}). Before each step
 * the engine calls {@link #advanceTo} with the step's stamp: events and window ends at or before it
 * take effect in time order, so a window closes (and is decided) just before the first step stamped
 * at or after its end, however late its marker arrived.
 *
 * <p><b>Class-bias calibration.</b> Every decided window whose label was learned (learning on) is
 * kept in a {@link ClassBiasCalibration} (at most {@value #CALIBRATION_CAPACITY} since the last
 * calibration). When learning leaves ENABLED the engine calls {@link #calibrate}: δ is fitted on
 * the kept windows (the class-balanced cross-entropy over the per-class intercepts) and added to
 * the decoder's readout bias, so the decisions that follow are not biased towards one class; the
 * kept windows are then forgotten (the next calibration fits what the bias still lacks). A fresh
 * network's readout favours one class on every trial without it (issue 21). A spike-count readout
 * is not calibrated: its readout bias is the output neurons' input current, and shifting it does
 * not shift the window's spike counts by δ (the counts are integers, a nonlinear function of it).
 *
 * <p>Threading: {@link #advanceTo}, {@link #add}, {@link #labelInto} on the engine thread; {@link
 * #calibrate} and {@link #forgetCalibration} from engine commands (control plane, may allocate);
 * the views ({@link #windows()}, {@link #inTrial()}, ...) from any thread. Allocation: none in the
 * per-step methods.
 */
public final class TrialWindows {
    /** Labelled windows kept for one calibration at most. */
    public static final int CALIBRATION_CAPACITY = 512;

    private final TrialEventRing events;
    private final DecisionRing out;
    private final int classes;
    private final WindowedDecision decision;
    private final ClassBiasCalibration calibration; // null with one class or spike counts
    private final double[] mean;
    private final double[] probabilities;
    private final AtomicLong windows = new AtomicLong();
    private final AtomicLong decisions = new AtomicLong();

    private boolean open;
    private int trial;
    private int classIndex;
    private String cue;
    private double startS;
    private double endS;

    private volatile boolean inTrial;
    private volatile int calibrationTrials;
    private volatile String calibrationStatus =
            "not calibrated: learning has not been switched off after labelled trials yet";

    /**
     * Windows decided on the window-averaged readout (a leaky readout).
     *
     * @param events the label source's events (this is their consumer)
     * @param out where closed windows are published; its width is the number of classes
     */
    public TrialWindows(TrialEventRing events, DecisionRing out) {
        this(events, out, WindowedDecision.Aggregate.MEAN);
    }

    /**
     * @param events the label source's events (this is their consumer)
     * @param out where closed windows are published; its width is the number of classes
     * @param aggregate how a window's readout makes its logits: {@code MEAN} for a leaky readout,
     *     {@code SUM} (output spike counts) for a spike-count one ({@link
     *     WindowedDecision.Aggregate#of})
     */
    public TrialWindows(
            TrialEventRing events, DecisionRing out, WindowedDecision.Aggregate aggregate) {
        this.events = events;
        this.out = out;
        this.classes = out.classes();
        this.decision = new WindowedDecision(classes, aggregate);
        this.calibration =
                classes >= 2 && aggregate == WindowedDecision.Aggregate.MEAN
                        ? new ClassBiasCalibration(classes, CALIBRATION_CAPACITY)
                        : null;
        this.mean = new double[classes];
        this.probabilities = new double[classes];
    }

    /** Classes (= decoder outputs). */
    public int classes() {
        return classes;
    }

    /**
     * Applies what is due at or before {@code stampS} in time order: events (a window opening, an
     * early close) and the open window's own end. Engine thread.
     *
     * @param stampS the source time stamp of the step about to run
     * @param learning whether learning is on (a window closed now counts as learned from)
     * @param nowNs the engine's clock (the decision time)
     * @return true when a window closed (its decision published)
     */
    public boolean advanceTo(double stampS, boolean learning, long nowNs) {
        final TrialEventRing ev = events;
        boolean closed = false;
        while (true) {
            boolean eventDue = !ev.isEmpty() && ev.peekStampS() <= stampS;
            if (open && endS <= stampS && (!eventDue || endS <= ev.peekStampS())) {
                close(endS, learning, nowNs);
                closed = true;
                continue;
            }
            if (!eventDue) {
                return closed;
            }
            if (ev.peekKind() == TrialEventRing.OPEN) {
                if (open) { // a producer that did not cut the open window first
                    close(ev.peekStampS(), learning, nowNs);
                    closed = true;
                }
                openWindow(ev);
            } else if (open) {
                close(Math.min(endS, ev.peekStampS()), learning, nowNs);
                closed = true;
            }
            ev.advance();
        }
    }

    private void openWindow(TrialEventRing ev) {
        open = true;
        trial = ev.peekTrial();
        classIndex = ev.peekClass();
        cue = ev.peekCue();
        startS = ev.peekStampS();
        endS = ev.peekEndS();
        decision.reset();
        inTrial = true;
    }

    /**
     * Ends the open window at {@code atS}: decides it if it held a step, keeps it for calibration
     * if its label was learned, and publishes it; a window cut before it started (atS ≤ start) is
     * dropped unpublished.
     */
    private void close(double atS, boolean learning, long nowNs) {
        open = false;
        inTrial = false;
        if (!(atS > startS)) {
            cue = null;
            return;
        }
        int frames = decision.frames();
        int decided = Decision.NONE;
        boolean learned = false;
        if (frames > 0) {
            decided = decision.decide(probabilities);
            EngineCounters.increment(decisions);
            if (learning) {
                learned = true;
                if (calibration != null) {
                    decision.logits(mean);
                    if (calibration.add(mean, classIndex)) {
                        calibrationTrials = calibration.trials();
                    }
                }
            }
        }
        EngineCounters.increment(windows);
        out.publish(
                trial,
                cue,
                classIndex,
                startS,
                atS,
                frames,
                probabilities,
                decided,
                nowNs,
                learned);
        cue = null;
    }

    /**
     * Writes the open window's one-hot label into {@code label} (modified only then). Engine
     * thread.
     *
     * @return whether a window is open (the step carries its class as the label)
     */
    public boolean labelInto(float[] label) {
        if (!open) {
            return false;
        }
        Arrays.fill(label, 0f);
        label[classIndex] = 1f;
        return true;
    }

    /** Adds the readout of a step taken inside the open window (none outside). Engine thread. */
    public void add(float[] y) {
        if (open) {
            decision.add(y);
        }
    }

    /**
     * The class-bias calibration, when learning leaves ENABLED (an engine command): fits δ on the
     * windows learned from since the last calibration and adds it to the decoder's readout bias.
     * Nothing changes when no window was kept or a class has none (the status says which).
     *
     * @return the status line ({@link #calibrationStatus()})
     */
    public String calibrate(Decoder decoder) {
        if (calibration == null) {
            return calibrationStatus =
                    classes < 2
                            ? "not calibrated: one class needs no class bias"
                            : "not calibrated: a spike-count readout's decisions are on spike"
                                    + " counts, which a readout bias shift does not offset";
        }
        int n = calibration.trials();
        if (n == 0) {
            return calibrationStatus =
                    "not calibrated: no labelled trial window was decided while learning was on";
        }
        double[] delta;
        try {
            delta = calibration.fit();
        } catch (IllegalArgumentException e) { // a class without a kept window
            return calibrationStatus =
                    "not calibrated: " + e.getMessage() + " (" + n + " windows kept)";
        }
        decoder.shiftReadoutBias(delta);
        calibration.clear();
        calibrationTrials = 0;
        StringBuilder b = new StringBuilder("readout bias shifted by [");
        for (int k = 0; k < delta.length; k++) {
            b.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", delta[k]));
        }
        b.append("] from ").append(n).append(" labelled trial windows");
        return calibrationStatus = b.toString();
    }

    /** Drops the kept windows: the weights they were decoded with were replaced (a command). */
    public void forgetCalibration() {
        if (calibration != null && calibration.trials() > 0) {
            calibrationStatus =
                    "calibration windows dropped ("
                            + calibration.trials()
                            + "): the weights they were decoded with were replaced";
            calibration.clear();
            calibrationTrials = 0;
        }
    }

    // ---- views (any thread) ----

    /** Trial windows closed and published (cut-before-start ones excluded). */
    public long windows() {
        return windows.get();
    }

    /** Windows decided (those that held at least one step). */
    public long decisions() {
        return decisions.get();
    }

    /** The count of closed windows (single writer: the engine), for a meter. */
    public AtomicLong windowsCounter() {
        return windows;
    }

    /** The count of decided windows (single writer: the engine), for a meter. */
    public AtomicLong decisionsCounter() {
        return decisions;
    }

    /** Whether a window is open. */
    public boolean inTrial() {
        return inTrial;
    }

    /** Labelled windows kept for the next calibration. */
    public int calibrationTrials() {
        return calibrationTrials;
    }

    /** The last calibration, or why none was made. */
    public String calibrationStatus() {
        return calibrationStatus;
    }
}
