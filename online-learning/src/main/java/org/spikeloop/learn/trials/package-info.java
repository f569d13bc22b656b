/**
 * Trials and classes of cue-based paradigms (motor imagery and the like), shared by live sessions
 * and offline training jobs so that both cut trials and decide alike.
 *
 * <p><b>Role.</b> {@link org.spikeloop.learn.trials.TrialProtocol} maps markers to classes (cue
 * table, class names, window length and start offset, end cues, ignored markers; {@link
 * org.spikeloop.learn.trials.MarkerText} says how numeric and string markers match). {@link
 * org.spikeloop.learn.trials.TrialSegmenter} turns marker events into {@link
 * org.spikeloop.learn.trials.Trial} windows, one marker at a time (live) or a whole stream at once,
 * refusing bad streams ({@link org.spikeloop.learn.trials.InvalidTrialsException}). {@link
 * org.spikeloop.learn.trials.WindowedDecision} is the per-trial decision (softmax of the
 * window-averaged readout, arg-max at the window's end) and {@link
 * org.spikeloop.learn.trials.ClassBiasCalibration} the per-class offsets that keep it unbiased.
 *
 * <p><b>Threads.</b> Every class has one owner; none is thread-safe. {@code WindowedDecision} and
 * {@code ClassBiasCalibration.add} allocate nothing and may run on an engine thread; the segmenter
 * allocates a {@code Trial} per cue (markers come a few per second); {@code
 * ClassBiasCalibration.fit} and the offline segmentation allocate (control plane).
 *
 * <p><b>May import.</b> The JDK only: no other Spikeloop package, so that the server's label
 * sources, the engine and the training jobs can all use it.
 */
package org.spikeloop.learn.trials;
