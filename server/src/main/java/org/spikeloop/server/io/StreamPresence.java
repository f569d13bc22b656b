package org.spikeloop.server.io;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.ContinuousResolver;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Whether an LSL stream is still on the network, for streams whose silence says nothing (an
 * irregular marker stream may be quiet for minutes): a liblsl continuous resolver, polled by its
 * own daemon thread every {@link #POLL_MS} ms, reports the stream gone {@code forgetAfterS} after
 * it stopped answering. Until it has been seen once the stream counts as present (it was resolved
 * at session creation), unless {@link #NEVER_SEEN_GRACE_S} pass without a sighting.
 *
 * <p>Failures never leave {@link #present()} stuck at true. Another stream on the network whose
 * header cannot be read here (liblsl accepts {@code channel_count} 0 and {@code channel_format}
 * undefined) is skipped, counted and logged once. A poll that fails is logged (once per streak) and
 * polling goes on; while polls keep failing the last answer holds for {@code forgetAfterS}, as
 * liblsl's own would, and then the stream counts as gone. If the thread itself ends for any reason
 * but {@link #close} (an {@code Error}), that is logged and the stream counts as gone: its session
 * then reports the labels stalled instead of a presence nobody checks.
 *
 * <p>Threading: its own thread writes {@link #present()}, any thread reads it. Allocation: the
 * resolver's poll allocates (its thread only).
 */
final class StreamPresence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPresence.class);

    static final long POLL_MS = 200;
    static final double NEVER_SEEN_GRACE_S = 5.0;

    /** Unreadable streams remembered so each is logged once; past this the memory starts over. */
    static final int MAX_REMEMBERED_UNPARSABLE = 256;

    private final ContinuousResolver resolver;
    private final String property;
    private final String value;
    private final long forgetAfterNs;
    private final String name;
    private final Thread thread;
    private final Set<String> unparsableSeen = new HashSet<>(); // the thread's own
    private final AtomicLong unparsable = new AtomicLong();
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
        this.forgetAfterNs = (long) (forgetAfterS * TimeUnit.SECONDS.toNanos(1));
        this.name = threadName;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        long lastAnswerNs = start;
        boolean seen = false;
        boolean failing = false;
        try {
            while (running) {
                long now = System.nanoTime();
                try {
                    boolean found = false;
                    for (StreamInfo s : resolver.results(this::skip)) {
                        found |= value.equals(property.equals("name") ? s.name() : s.sourceId());
                    }
                    seen |= found;
                    present =
                            found
                                    || (!seen
                                            && now - start
                                                    < (long)
                                                            (NEVER_SEEN_GRACE_S
                                                                    * TimeUnit.SECONDS.toNanos(1)));
                    lastAnswerNs = now;
                    if (failing) {
                        LOG.info("{}: stream presence polls answer again", name);
                        failing = false;
                    }
                } catch (RuntimeException e) {
                    if (!failing) {
                        LOG.warn(
                                "{}: stream presence poll failed ({}); polling goes on, and the"
                                        + " stream counts as gone if polls fail for {} ms (logged"
                                        + " once until a poll answers)",
                                name,
                                e.toString(),
                                TimeUnit.NANOSECONDS.toMillis(forgetAfterNs),
                                e);
                        failing = true;
                    }
                    if (now - lastAnswerNs >= forgetAfterNs) {
                        present = false;
                    }
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (running) {
                LOG.warn("{}: interrupted; the stream now counts as gone", name);
            }
        } catch (RuntimeException | Error e) {
            // Not rethrown: on this thread a rethrow reaches only the default handler (stderr);
            // what matters is that the session sees the stream as gone, below, and the log says
            // why.
            LOG.error("{}: stream presence check died; the stream now counts as gone", name, e);
        } finally {
            if (running) {
                present = false;
            }
            resolver.close();
        }
    }

    /** A stream whose header cannot be read here: left out, counted and logged once. */
    private void skip(IllegalArgumentException e) {
        if (unparsableSeen.size() >= MAX_REMEMBERED_UNPARSABLE) {
            unparsableSeen.clear();
        }
        if (unparsableSeen.add(String.valueOf(e.getMessage()))) {
            unparsable.incrementAndGet();
            LOG.warn(
                    "{}: ignoring an LSL stream whose header cannot be read here ({}); logged once"
                            + " per stream",
                    name,
                    e.getMessage());
        }
    }

    /** Whether the stream answered recently. */
    boolean present() {
        return present;
    }

    /** Streams on the network skipped so far because their headers cannot be read here. */
    long unparsableStreams() {
        return unparsable.get();
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
