/**
 * Causal signal front-ends: the stages that turn source samples into decoder input frames (spike
 * binning, Butterworth band-pass, band power, running z-score normalisation), their chain, and the
 * validated configuration value ({@link org.spikeloop.signal.FrontEndSpec} with its {@link
 * org.spikeloop.signal.StageSpec} records) that builds a chain.
 *
 * <p>Role: every stage implements {@link org.spikeloop.signal.FrontEnd}: one input frame in per
 * call, an output frame out at the stage's own, possibly decimated, rate, depending only on the
 * current and earlier inputs. Each stage states its equation in its javadoc. This module sits below
 * both the server and online-learning: a session runs a chain on its input ring's producer side
 * ({@code server.io.FrontEndFeed}), CSP+LDA filters its trials with {@link
 * org.spikeloop.signal.BandPassFilter}, and training jobs are to apply a session's front-end to its
 * raw recording.
 *
 * <p>Threads: none of its own. A stage or chain is single-threaded: one thread at a time feeds it
 * (in a session, the ring's producer). Allocation: construction validates and allocates (control
 * plane); {@code accept}, {@code filter} and {@code reset} allocate nothing, take no lock and do
 * not log.
 *
 * <p>May import: the JDK only (no project module, no library), so any module can use it; the
 * module's pom has no dependencies and its enforcer rule refuses any but test-scoped ones.
 */
package org.spikeloop.signal;
