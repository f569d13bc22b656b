package org.spikeloop.adapters.xdf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.NanoClock;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Records LSL streams to XDF as LabRecorder does: one inlet per stream (recovery on, no
 * post-processing, so the file holds the senders' own stamps), its full info as the StreamHeader,
 * its time correction as ClockOffsets. One source thread per stream ({@code xdf-source-<name>})
 * pulls chunks and hands them to the {@link XdfRecorder}. Control plane: start, then {@link
 * #close}.
 */
public final class LslRecording implements AutoCloseable {
    private static final double PULL_TIMEOUT_S = 0.1;

    private final XdfRecorder recorder;
    private final List<Inlet> inlets = new ArrayList<>();
    private final List<Thread> sources = new ArrayList<>();
    private final AtomicLong samplesRecorded = new AtomicLong();
    private volatile boolean running = true;

    /** Opens inlets on {@code streams} (each resolved) and starts recording into {@code file}. */
    public LslRecording(
            Path file, List<StreamInfo> streams, XdfRecorder.Config config, double openTimeoutS)
            throws IOException, InterruptedException {
        this.recorder = new XdfRecorder(file, config, Lsl::localClockS, NanoClock.system());
        try {
            for (StreamInfo resolved : streams) {
                Inlet inlet = new Inlet(resolved, InletConfig.defaults());
                inlets.add(inlet);
                StreamInfo full = inlet.fullInfo(openTimeoutS);
                inlet.open(openTimeoutS);
                int id = recorder.addStream(full, ClockOffsetSource.of(inlet));
                Thread t = new Thread(() -> pullLoop(inlet, full, id), "xdf-source-" + full.name());
                t.setDaemon(true);
                sources.add(t);
            }
        } catch (RuntimeException | InterruptedException e) {
            closeQuietly();
            throw e;
        }
        sources.forEach(Thread::start);
    }

    private void pullLoop(Inlet inlet, StreamInfo info, int id) {
        int ch = info.channelCount();
        int capacity = (int) Math.max(64, Math.min(65_536, info.nominalSrateHz() / 5));
        Object buffer = XdfSamples.newArray(info.format(), (long) capacity * ch);
        double[] stamps = new double[capacity];
        while (running) {
            int n = pull(inlet, info.format(), buffer, stamps);
            if (n > 0) {
                recorder.offer(id, buffer, stamps, n);
                samplesRecorded.addAndGet(n);
            }
        }
    }

    private static int pull(Inlet in, ChannelFormat f, Object buf, double[] ts) {
        return switch (f) {
            case FLOAT32 -> in.pullChunk((float[]) buf, ts, PULL_TIMEOUT_S);
            case DOUBLE64 -> in.pullChunk((double[]) buf, ts, PULL_TIMEOUT_S);
            case INT8 -> in.pullChunk((byte[]) buf, ts, PULL_TIMEOUT_S);
            case INT16 -> in.pullChunk((short[]) buf, ts, PULL_TIMEOUT_S);
            case INT32 -> in.pullChunk((int[]) buf, ts, PULL_TIMEOUT_S);
            case INT64 -> in.pullChunk((long[]) buf, ts, PULL_TIMEOUT_S);
            case STRING -> in.pullChunk((String[]) buf, ts, PULL_TIMEOUT_S);
        };
    }

    public long samplesRecorded() {
        return samplesRecorded.get();
    }

    public long droppedChunks() {
        return recorder.droppedChunks();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            // the original failure is the one to report
        }
    }

    /** Stops the source threads, closes the inlets and finishes the file (footers, fsync). */
    @Override
    public void close() throws IOException {
        running = false;
        for (Thread t : sources) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            recorder.close();
        } finally {
            inlets.forEach(Inlet::close);
        }
    }
}
