package org.spikeloop.adapters.xdf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.agrona.BitUtil;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.spikeloop.adapters.lsl.ChannelFormat;
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
 * Allocation: {@code offer} copies into a chunk taken from its stream's free list, and the recorder
 * thread returns the chunk after writing it, so a recording in steady state allocates nothing per
 * chunk on either side (queues: Agrona's lock-free array queues; the recorder thread parks between
 * polls instead of waiting on a condition, which allocates per wait).
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

    private sealed interface Command permits AddStream, Chunk, Stop {}

    private record AddStream(int id, StreamInfo info, ClockOffsetSource offsets)
            implements Command {}

    private record Stop() implements Command {}

    /**
     * One chunk of one stream on its way to the disk: a producer fills it, the recorder thread
     * writes it and puts it back into its stream's free list, so chunks are reused rather than
     * allocated per offer. Grows to the power of two at or above the largest chunk offered for its
     * stream: a poller's chunks vary in size with its timing (50–60 rows from an LSL source that
     * flushes every 50 ms, more while its thread runs late), and growing to each new largest size
     * exactly made every pooled chunk allocate again at each one, on the producer's thread (the
     * engine's, when the source is polled there).
     */
    private static final class Chunk implements Command {
        final StreamSlot stream;
        Object data;
        double[] stamps;
        int samples;

        Chunk(StreamSlot stream) {
            this.stream = stream;
            this.data = XdfSamples.newArray(stream.format, 0);
            this.stamps = new double[0];
        }

        void fill(Object src, double[] srcStamps, int n) {
            int values = n * stream.channels;
            if (stamps.length < n) {
                int capacity = BitUtil.findNextPositivePowerOfTwo(n);
                data = XdfSamples.newArray(stream.format, capacity * stream.channels);
                stamps = new double[capacity];
            }
            System.arraycopy(src, 0, data, 0, values);
            System.arraycopy(srcStamps, 0, stamps, 0, n);
            samples = n;
        }

        /** Drops the references a string chunk holds before it waits in the free list. */
        void clear() {
            if (data instanceof Object[] refs) {
                Arrays.fill(refs, 0, samples * stream.channels, null);
            }
            samples = 0;
        }
    }

    /** A stream as producers see it: its shape and its free chunks. */
    private static final class StreamSlot {
        final int id;
        final ChannelFormat format;
        final int channels;
        final String what; // names the stream in refusals (built once, not per offer)
        final ManyToManyConcurrentArrayQueue<Chunk> free;

        StreamSlot(int id, StreamInfo info) {
            this.id = id;
            this.format = info.format();
            this.channels = info.channelCount();
            this.what = "stream '" + info.name() + "'";
            this.free = new ManyToManyConcurrentArrayQueue<>(FREE_CHUNKS_PER_STREAM);
        }
    }

    /**
     * Free chunks kept per stream. A recording in steady state has a few chunks in flight
     * (producers hand one over every 50 ms, the recorder writes within 5 ms); more are allocated
     * while the disk or the recorder thread falls behind, and let go when they come back to a full
     * free list, so a burst does not keep its chunks for the recording's whole life.
     */
    static final int FREE_CHUNKS_PER_STREAM = 16;

    private static final long IDLE_POLL_NS = 5_000_000L;
    private static final int MAX_DRAIN = 256;

    private final Config config;
    private final XdfWriter writer;
    private final DoubleSupplier lslClockS;
    private final NanoClock clock;
    private final ManyToOneConcurrentArrayQueue<Command> queue;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong chunksAllocated = new AtomicLong();
    private volatile StreamSlot[] slots = new StreamSlot[0]; // copy-on-write, index = id - 1
    private final List<AddStream> streams = new ArrayList<>(); // recorder thread only
    private volatile IOException failure;
    private volatile boolean closed;

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
        this.queue = new ManyToOneConcurrentArrayQueue<>(Math.max(2, config.queueCapacity()));
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
        StreamSlot[] current = slots;
        int id = current.length + 1;
        StreamSlot[] next = Arrays.copyOf(current, id);
        next[id - 1] = new StreamSlot(id, info);
        AddStream add = new AddStream(id, info, offsets);
        while (!queue.offer(add)) {
            if (!thread.isAlive()) {
                throw new IllegalStateException("recorder has stopped", failure);
            }
            Thread.sleep(1); // the queue drains at disk speed
        }
        slots = next;
        return id;
    }

    /**
     * Queues a copy of {@code samples} samples; {@code data} is the stream format's primitive array
     * (or {@code String[]}), row-major. Returns false, counting a dropped chunk, if the queue is
     * full or the recorder has stopped.
     *
     * <p>Allocation: none once the stream's free list holds enough chunks (the recorder thread
     * returns each chunk after writing it; a chunk is allocated only when none is free, i.e. while
     * the pool fills up or the disk falls behind — {@link #chunksAllocated()}; at most {@link
     * #FREE_CHUNKS_PER_STREAM} are kept).
     */
    public boolean offer(int streamId, Object data, double[] stamps, int samples) {
        StreamSlot[] current = slots;
        if (streamId < 1 || streamId > current.length) {
            throw new IllegalArgumentException("stream id " + streamId + " was not added");
        }
        StreamSlot slot = current[streamId - 1];
        XdfSamples.checkArray(slot.format, data, (long) samples * slot.channels, slot.what);
        if (samples <= 0) {
            return true;
        }
        if (stamps.length < samples) {
            throw new IllegalArgumentException(
                    slot.what + ": " + samples + " samples but " + stamps.length + " stamps");
        }
        if (failure != null || closed || !thread.isAlive()) {
            dropped.incrementAndGet();
            return false;
        }
        Chunk chunk = slot.free.poll();
        if (chunk == null) {
            chunk = new Chunk(slot);
            chunksAllocated.incrementAndGet();
        }
        chunk.fill(data, stamps, samples);
        if (!queue.offer(chunk)) {
            chunk.clear();
            slot.free.offer(chunk);
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Chunks waiting for the recorder thread (tests pace their offers by it). */
    int queuedChunks() {
        return queue.size();
    }

    /** The recorder thread's id (tests measure its allocation). */
    long threadId() {
        return thread.getId();
    }

    /**
     * Chunks allocated so far because no free one was at hand (the pools' growth): it stops growing
     * once each stream has as many chunks as wait for the disk at most.
     */
    public long chunksAllocated() {
        return chunksAllocated.get();
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
                int handled = 0;
                Command c;
                while (handled < MAX_DRAIN && (c = queue.poll()) != null) {
                    handled++;
                    if (c instanceof Stop) {
                        stop = true;
                        break;
                    }
                    handle(c);
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
                if (handled == 0 && !stop) {
                    // Producers never wake this thread (an offer must not block or signal); a
                    // chunk waits at most this long. parkNanos allocates nothing, unlike a timed
                    // wait on a condition.
                    LockSupport.parkNanos(IDLE_POLL_NS);
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
        }
    }

    private void handle(Command c) throws IOException {
        if (c instanceof AddStream a) {
            writer.streamHeader(a.id(), a.info());
            streams.add(a);
            writeClockOffset(a); // a first offset right away, as LabRecorder does
        } else if (c instanceof Chunk chunk) {
            try {
                writer.samples(chunk.stream.id, chunk.data, chunk.stamps, chunk.samples);
            } finally {
                chunk.clear();
                chunk.stream.free.offer(chunk); // a full free list lets the chunk go
            }
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
            Stop stop = new Stop();
            while (thread.isAlive() && !queue.offer(stop)) {
                Thread.sleep(10); // the queue drains at disk speed; keep trying while it lives
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
