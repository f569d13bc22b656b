/**
 * {@code spikeloop demo}: the real server in-process, a simulated intracortical rig publishing
 * spikes and hand velocity over LSL, one session decoding them with e-prop learning (started from a
 * reference checkpoint the demo builds once and reuses), and one status line per second from the
 * frames the demo watches.
 *
 * <p>Threads: the status loop on the caller's thread; the rig on its own ({@code demo-rig}); the
 * demo's watcher on the session's publisher thread; the server's own threads as usual.
 *
 * <p>May import: {@link org.spikeloop.app}, the server's packages and the modules below it.
 */
package org.spikeloop.app.demo;
