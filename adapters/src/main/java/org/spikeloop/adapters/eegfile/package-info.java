/**
 * GDF, EDF and BDF recordings in: {@link org.spikeloop.adapters.eegfile.EegFileReader} reads one
 * through MNE in the project's virtualenv (a Python helper shipped in this package, run as a
 * subprocess), with units corrected to microvolts and events as markers; {@link
 * org.spikeloop.adapters.eegfile.EegXdfExport} writes it as an XDF file (one float32 EEG stream,
 * one string marker stream, LabRecorder's headers) that replay, training and pyxdf read.
 *
 * <p>Threads: the caller's; control plane only (a whole-file conversion, never on a hot path).
 *
 * <p>May import: {@link org.spikeloop.adapters.lsl} ({@code StreamInfo}, {@code ChannelFormat}),
 * {@link org.spikeloop.adapters.venv} (where the virtualenv is), {@link org.spikeloop.adapters.xdf}
 * (the writer), Gson, the JDK.
 */
package org.spikeloop.adapters.eegfile;
