/**
 * The forward step of a network: {@link org.spikeloop.snn.kernel.FloatNetwork}, the float32 kernel
 * the live decoder steps (sparse row gathers over transposed weights), and {@link
 * org.spikeloop.snn.kernel.ReferenceNetwork}, the float64 statement of the same equations (Bellec
 * et al. 2020, Methods eqs. (1)–(4), (21)) that verification and the forward CLI use; tests keep
 * the two in agreement. {@link org.spikeloop.snn.kernel.LayerState} is the read-only view of a
 * population's state e-prop reads; {@link org.spikeloop.snn.kernel.ForwardTrace} records a whole
 * run for the CLI.
 *
 * <p>Threads: none of its own. A {@code FloatNetwork} has one owner thread (in a session, its
 * engine thread) that steps, resets and loads it and reads its {@code LayerState} views between
 * steps; the reference network and traces run on the caller's thread. Allocation: {@code
 * FloatNetwork.step} and {@code reset} allocate nothing, take no lock and do not log (every array
 * is made in the constructor); loading and exporting parameters are control-plane calls and may
 * allocate.
 *
 * <p>May import: {@code snn.spec}, {@code snn.params}. Imported by the e-prop learner, the training
 * jobs' evaluation, the server's engine and the application; never imports them.
 */
package org.spikeloop.snn.kernel;
