/**
 * A session's XDF recording ({@link org.spikeloop.server.recording.SessionRecording}: samples,
 * labels and decoded outputs as float32 streams, or for cue-marker labels the markers, trial
 * windows and decisions instead of labels; LabRecorder-compatible) and what feeds it: {@link
 * org.spikeloop.server.recording.RowRecorder} gathers the rows a producer hands to the decoder into
 * chunks, {@link org.spikeloop.server.recording.RecordingAgent} reads the frame ring like a
 * watcher, {@link org.spikeloop.server.recording.TrialRecordingAgent} the decision ring; {@link
 * org.spikeloop.server.recording.StreamHeader} gives each recorded stream a header as complete as
 * LabRecorder's (a source's own, or the server's with host, creation time and labelled channels)
 * naming its session and role. A write failure stops the recording, never the session.
 *
 * <p>Threads: the file is written on the adapters' recorder thread ({@code xdf-recorder}); a {@code
 * RowRecorder} runs on its producer's thread (the ingest stream's, or the LSL source's: the engine
 * thread when co-located); the {@code RecordingAgent} on the publisher's pool thread; open and
 * close on the control plane. Allocation: none per row or frame; each chunk handed over is copied
 * once (the recorder's queue never blocks: a full queue drops the chunk and counts it).
 *
 * <p>May import: {@code engine} (the frame ring), {@code adapters.xdf} and {@code adapters.lsl}
 * (stream descriptions). Imported by {@code io}, {@code jobs}, {@code metrics}, {@code session} and
 * the application's demo.
 */
package org.spikeloop.server.recording;
