package org.spikeloop.server.io;

import java.util.concurrent.TimeUnit;
import org.spikeloop.adapters.lsl.ContinuousResolver;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Whether an LSL stream is still on the network, for streams whose silence says nothing (an
 * irregular marker stream may be quiet for minutes): a liblsl continuous resolver, polled by its
 * own daemon thread every {@link #POLL_MS} ms, reports the stream gone {@code forgetAfterS} after
 * it stopped answering. Until it has been seen once the stream counts as present (it was resolved
 * at session creation), unless {@link #NEVER_SEEN_GRACE_S} pass without a sighting.
 *
 * <p>Threading: its own thread writes {@link #present()}, any thread reads it. Allocation: the
 * resolver's poll allocates (its thread only).
 */
final class StreamPresence implements AutoCloseable {
    static final long POLL_MS = 200;
    static final double NEVER_SEEN_GRACE_S = 5.0;

    private final ContinuousResolver resolver;
    private final String property;
    private final String value;
    private final Thread thread;
    private volatile boolean present = true;
    private volatile boolean running = true;

    /**
     * @param property "source_id" or "name"
     * @param value the stream's value of it
     */
    StreamPresence(String property, String value, double forgetAfterS, String threadName) {
        if (!property.equals("source_id") && !property.equals("name")) {
            throw new IllegalArgumentException("property: source_id or name, got " + property);
        }
        // Every stream, matched here: the value comes from the network and is never put into a
        // liblsl query.
        this.resolver = ContinuousResolver.all(forgetAfterS);
        this.property = property;
        this.value = value;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        boolean seen = false;
        try {
            while (running) {
                boolean found = false;
                for (StreamInfo s : resolver.results()) {
                    found |= value.equals(property.equals("name") ? s.name() : s.sourceId());
                }
                seen |= found;
                long elapsedNs = System.nanoTime() - start;
                present =
                        found
                                || (!seen
                                        && elapsedNs
                                                < (long)
                                                        (NEVER_SEEN_GRACE_S
                                                                * TimeUnit.SECONDS.toNanos(1)));
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            resolver.close();
        }
    }

    /** Whether the stream answered recently. */
    boolean present() {
        return present;
    }

    /** Stops polling and releases the resolver (waits for the thread, at most a poll period). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
