/**
 * The versioned, checksummed, self-describing checkpoint file ({@link
 * org.spikeloop.snn.checkpoint.Checkpoint}: architecture, parameters, provenance; the layout in
 * {@link org.spikeloop.snn.checkpoint.CheckpointFormat} and docs/checkpoints.md), its NumPy {@code
 * .npz} interchange, crash-safe file replacement ({@link org.spikeloop.snn.checkpoint.AtomicFiles},
 * which the registry's index uses too) and the "which field differs" message for mismatched
 * architectures.
 *
 * <p>Threads: none of its own. A {@code Checkpoint} is immutable and may be shared; reading and
 * writing run on the caller's thread. Control plane only: file I/O and allocation, never on the
 * decode path. A file that fails any check yields a {@link
 * org.spikeloop.snn.checkpoint.CheckpointException} and no partial state.
 *
 * <p>May import: {@code snn.spec}, {@code snn.params}, Gson and npy. Imported by the server
 * (sessions, registry, jobs, governance) and the application; never imports them.
 */
package org.spikeloop.snn.checkpoint;
