/**
 * XDF 1.0, the Lab Streaming Layer's file format: {@link org.spikeloop.adapters.xdf.XdfWriter}
 * writes a file as LabRecorder does, {@link org.spikeloop.adapters.xdf.XdfRecorder} runs a writer
 * behind a bounded queue, {@link org.spikeloop.adapters.xdf.LslRecording} records LSL streams to a
 * file, {@link org.spikeloop.adapters.xdf.XdfReader} reads any XDF file tolerantly (damage is
 * reported with its byte offset), and {@link org.spikeloop.adapters.xdf.XdfClockSync} reproduces
 * pyxdf's clock synchronisation and dejittering.
 *
 * <p>Threads: an {@code XdfRecorder} writes on its own thread ({@code xdf-recorder}); {@code offer}
 * may be called from any thread, never blocks, copies the chunk and counts it dropped when the
 * queue is full, so a slow disk never stalls a source or the engine. {@code LslRecording} pulls
 * each stream on a thread of its own ({@code xdf-source-<name>}). Reading runs on the caller's
 * thread and allocates freely.
 *
 * <p>May import: {@code adapters.lsl} (stream descriptions, channel formats, inlets). Imported by
 * the server (recording, sessions, training jobs) and the application.
 */
package org.spikeloop.adapters.xdf;
