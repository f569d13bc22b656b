package org.spikeloop.adapters.xdf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.spikeloop.adapters.lsl.NanoClock;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * The recorder agent: owns an {@link XdfWriter} on its own thread ({@code xdf-recorder}) and is fed
 * through a bounded queue. {@link #offer} copies the caller's chunk and returns false (counting a
 * dropped chunk) when the queue is full, so a slow disk never blocks a source or the engine. The
 * thread writes ClockOffset chunks every {@link Config#clockOffsetPeriodNs} (skipping a stream
 * whose offset query timed out), a Boundary chunk every {@link Config#boundaryPeriodNs}, and
 * flushes and fsyncs every {@link Config#syncPeriodNs}; {@link #close} drains the queue, writes the
 * footers and syncs. A write failure stops the recorder; it is reported by {@link #failure()} and
 * {@link #close}.
 *
 * <p>Threading: {@code addStream}, {@code offer} and {@code close} may be called from any thread.
 * {@code offer} allocates the copy of the chunk (publisher side, never the decode step).
 */
public final class XdfRecorder implements AutoCloseable {
    /**
     * Recorder settings.
     *
     * @param queueCapacity chunks that may wait for the disk (default 4096)
     * @param clockOffsetPeriodNs ClockOffset period (default 5 s, as LabRecorder)
     * @param boundaryPeriodNs Boundary chunk period (default 10 s, as LabRecorder)
     * @param syncPeriodNs flush + fsync period (default 1 s)
     * @param clockOffsetTimeoutS how long one offset query may wait (default 2 s, as LabRecorder)
     */
    public record Config(
            int queueCapacity,
            long clockOffsetPeriodNs,
            long boundaryPeriodNs,
            long syncPeriodNs,
            double clockOffsetTimeoutS) {
        public Config {
            if (queueCapacity < 1
                    || clockOffsetPeriodNs <= 0
                    || boundaryPeriodNs <= 0
                    || syncPeriodNs <= 0) {
                throw new IllegalArgumentException(
                        "recorder config: capacity and periods must be positive");
            }
        }

        public static Config defaults() {
            return new Config(4096, 5_000_000_000L, 10_000_000_000L, 1_000_000_000L, 2.0);
        }

        public Config withSyncPeriodNs(long ns) {
            return new Config(
                    queueCapacity, clockOffsetPeriodNs, boundaryPeriodNs, ns, clockOffsetTimeoutS);
        }

        public Config withQueueCapacity(int capacity) {
            return new Config(
                    capacity,
                    clockOffsetPeriodNs,
                    boundaryPeriodNs,
                    syncPeriodNs,
                    clockOffsetTimeoutS);
        }
    }

    private sealed interface Command permits AddStream, Samples, Stop {}

    private record AddStream(int id, StreamInfo info, ClockOffsetSource offsets)
            implements Command {}

    private record Samples(int id, Object data, double[] stamps, int count) implements Command {}

    private record Stop() implements Command {}

    private static final long IDLE_POLL_NS = 5_000_000L;
    private static final int MAX_DRAIN = 256;

    private final Config config;
    private final XdfWriter writer;
    private final DoubleSupplier lslClockS;
    private final NanoClock clock;
    private final ArrayBlockingQueue<Command> queue;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final List<StreamInfo> infos = new ArrayList<>();
    private final List<AddStream> streams = new ArrayList<>(); // recorder thread only
    private volatile IOException failure;
    private boolean closed;

    /**
     * @param lslClockS the LSL clock of this machine in seconds (collection time of offsets)
     * @param clock monotonic clock driving the periods
     */
    public XdfRecorder(Path file, Config config, DoubleSupplier lslClockS, NanoClock clock)
            throws IOException {
        this.config = config;
        this.writer = new XdfWriter(file);
        this.lslClockS = lslClockS;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.thread = new Thread(this::run, "xdf-recorder");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Adds a stream (written as a StreamHeader); returns its XDF stream id (1, 2, ...). */
    public synchronized int addStream(StreamInfo info, ClockOffsetSource offsets)
            throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("recorder is closed");
        }
        infos.add(info);
        int id = infos.size();
        queue.put(new AddStream(id, info, offsets));
        return id;
    }

    /**
     * Queues a copy of {@code samples} samples; {@code data} is the stream format's primitive array
     * (or {@code String[]}), row-major. Returns false, counting a dropped chunk, if the queue is
     * full or the recorder has stopped.
     */
    public boolean offer(int streamId, Object data, double[] stamps, int samples) {
        StreamInfo info;
        synchronized (this) {
            if (streamId < 1 || streamId > infos.size()) {
                throw new IllegalArgumentException("stream id " + streamId + " was not added");
            }
            info = infos.get(streamId - 1);
        }
        long values = (long) samples * info.channelCount();
        XdfSamples.checkArray(info.format(), data, values, "stream '" + info.name() + "'");
        if (samples <= 0) {
            return true;
        }
        if (failure != null || !thread.isAlive()) {
            dropped.incrementAndGet();
            return false;
        }
        Object copy = copyOf(data, (int) values);
        if (!queue.offer(new Samples(streamId, copy, Arrays.copyOf(stamps, samples), samples))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    private static Object copyOf(Object data, int n) {
        Object copy = java.lang.reflect.Array.newInstance(data.getClass().getComponentType(), n);
        System.arraycopy(data, 0, copy, 0, n);
        return copy;
    }

    /** Chunks refused because the queue was full or the recorder had failed. */
    public long droppedChunks() {
        return dropped.get();
    }

    /** The write error that stopped the recorder, or null. */
    public IOException failure() {
        return failure;
    }

    private void run() {
        long now = clock.nanoTime();
        long nextOffsetNs = now; // first offsets as soon as streams exist
        long nextBoundaryNs = now + config.boundaryPeriodNs();
        long nextSyncNs = now + config.syncPeriodNs();
        boolean stop = false;
        try {
            while (!stop) {
                Command c = queue.poll(IDLE_POLL_NS, TimeUnit.NANOSECONDS);
                for (int i = 0; c != null && i < MAX_DRAIN; i++) {
                    if (c instanceof Stop) {
                        stop = true;
                        break;
                    }
                    handle(c);
                    c = queue.poll();
                }
                if (c != null && !stop) {
                    if (c instanceof Stop) {
                        stop = true;
                    } else {
                        handle(c);
                    }
                }
                now = clock.nanoTime();
                if (now - nextOffsetNs >= 0) {
                    writeClockOffsets();
                    nextOffsetNs = now + config.clockOffsetPeriodNs();
                }
                if (now - nextBoundaryNs >= 0) {
                    writer.boundary();
                    nextBoundaryNs = now + config.boundaryPeriodNs();
                }
                if (now - nextSyncNs >= 0) {
                    writer.sync();
                    nextSyncNs = now + config.syncPeriodNs();
                }
            }
            for (Command c = queue.poll(); c != null; c = queue.poll()) {
                if (!(c instanceof Stop)) {
                    handle(c);
                }
            }
            writeClockOffsets();
            writer.close();
        } catch (IOException | RuntimeException e) {
            failure =
                    e instanceof IOException io ? io : new IOException("recorder failed: " + e, e);
            try {
                writer.close();
            } catch (IOException | RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
        } catch (InterruptedException e) {
            failure = new IOException("recorder thread interrupted", e);
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Command c) throws IOException {
        if (c instanceof AddStream a) {
            writer.streamHeader(a.id(), a.info());
            streams.add(a);
            writeClockOffset(a); // a first offset right away, as LabRecorder does
        } else if (c instanceof Samples s) {
            writer.samples(s.id(), s.data(), s.stamps(), s.count());
        }
    }

    private void writeClockOffsets() throws IOException {
        for (AddStream a : streams) {
            writeClockOffset(a);
        }
    }

    private void writeClockOffset(AddStream a) throws IOException {
        double offset = a.offsets().offsetS(config.clockOffsetTimeoutS());
        if (Double.isFinite(offset)) {
            writer.clockOffset(a.id(), lslClockS.getAsDouble() - offset, offset);
        }
    }

    /** Stops the thread after the queued chunks, writes footers, syncs and closes the file. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            while (thread.isAlive() && !queue.offer(new Stop(), 10, TimeUnit.MILLISECONDS)) {
                // the queue drains at disk speed; keep trying while the thread lives
            }
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing the recorder", e);
        }
        if (failure != null) {
            throw failure;
        }
    }
}
