package org.spikeloop.app.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * The collector's stop-the-world pauses while the benchmark runs, from JFR's {@code
 * jdk.GCPhasePause} events (every collector of this JDK emits them, each with its own precise
 * duration; a GC MXBean reports whole milliseconds), placed on the {@link System#nanoTime} clock so
 * they can be compared with frames' arrival and decode times.
 *
 * <p>Placement: JFR stamps events on the wall clock; the offset to {@code nanoTime} is taken once
 * at {@link #start} (both read back to back), which is good to a few microseconds over a run (no
 * clock step is expected in a benchmark).
 *
 * <p>Threading: JFR's stream thread appends; readers take a copy ({@link #pauses}).
 */
final class GcPauseLog implements AutoCloseable {
    /** One pause: start on the nanoTime clock, length, and the collector's name for it. */
    record Pause(long startNs, long durationNs, String name) {
        long endNs() {
            return startNs + durationNs;
        }

        /** Whether the pause overlaps [fromNs, toNs]. */
        boolean overlaps(long fromNs, long toNs) {
            return startNs <= toNs && endNs() >= fromNs;
        }
    }

    private final RecordingStream stream = new RecordingStream();
    private final List<Pause> pauses = new ArrayList<>();
    private final long wallToNanoNs;

    private GcPauseLog() {
        Instant wall = Instant.now();
        long nano = System.nanoTime();
        this.wallToNanoNs = nano - (wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
        stream.enable("jdk.GCPhasePause").withoutStackTrace();
        stream.onEvent("jdk.GCPhasePause", this::onPause);
    }

    /** Starts listening (JFR's stream runs on a thread of its own). */
    static GcPauseLog start() {
        GcPauseLog log = new GcPauseLog();
        log.stream.startAsync();
        return log;
    }

    private void onPause(RecordedEvent e) {
        Instant start = e.getStartTime();
        long startNs = start.getEpochSecond() * 1_000_000_000L + start.getNano() + wallToNanoNs;
        Duration d = e.getDuration();
        synchronized (pauses) {
            pauses.add(new Pause(startNs, d.toNanos(), e.getString("name")));
        }
    }

    /**
     * The pauses that began in [fromNs, toNs), waiting up to {@code flushMs} for JFR to deliver the
     * last events (it flushes about once a second).
     */
    List<Pause> pausesBetween(long fromNs, long toNs, long flushMs) throws InterruptedException {
        Thread.sleep(flushMs);
        List<Pause> out = new ArrayList<>();
        for (Pause p : pauses()) {
            if (p.startNs() >= fromNs && p.startNs() < toNs) {
                out.add(p);
            }
        }
        return out;
    }

    /** Every pause so far (a copy). */
    List<Pause> pauses() {
        synchronized (pauses) {
            return new ArrayList<>(pauses);
        }
    }

    /** Whether any pause overlaps [fromNs, toNs] widened by {@code slackNs} on each side. */
    static boolean overlapsAny(List<Pause> pauses, long fromNs, long toNs, long slackNs) {
        for (Pause p : pauses) {
            if (p.overlaps(fromNs - slackNs, toNs + slackNs)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        stream.close();
    }
}
