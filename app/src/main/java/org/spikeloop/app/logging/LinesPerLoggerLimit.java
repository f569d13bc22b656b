package org.spikeloop.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * At most {@code maxLines} lines per period from each logger under the configured prefixes (the
 * libraries a client can make log per stream or per connection: gRPC, Netty); the rest of the
 * period's lines are dropped and counted, and the count is written as one line of this class's
 * logger when that logger next writes (docs/server.md, "Limits": {@code logback.xml}). The first
 * line dropped in a period says so at once, so that suppression is never silent.
 *
 * <p>Lines below their logger's level are not counted (a turbo filter runs before the level check).
 * Our own loggers are not limited: they log per event the server controls, never per client
 * message. Thread-safe; the loggers it counts are the libraries' static ones, so the map stays
 * small.
 */
public final class LinesPerLoggerLimit extends TurboFilter {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private String[] prefixes = {"io.grpc", "io.netty"};
    private int maxLines = 10;
    private long periodNs = 10_000_000_000L;

    public LinesPerLoggerLimit() {
        this(System::nanoTime);
    }

    LinesPerLoggerLimit(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Comma-separated logger name prefixes to limit. Default {@code io.grpc,io.netty}. */
    public void setPrefixes(String list) {
        prefixes = list.strip().split("\\s*,\\s*");
    }

    /** Lines each logger may write per period. Default 10. */
    public void setMaxLines(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxLines: must be >= 1, got " + n);
        }
        maxLines = n;
    }

    /** The period in seconds. Default 10. */
    public void setPeriodSeconds(int s) {
        if (s < 1) {
            throw new IllegalArgumentException("periodSeconds: must be >= 1, got " + s);
        }
        periodNs = s * 1_000_000_000L;
    }

    @Override
    public FilterReply decide(
            Marker marker,
            Logger logger,
            Level level,
            String format,
            Object[] params,
            Throwable t) {
        String name = logger.getName();
        // format == null: an isXxxEnabled() check (Netty asks one per sampled buffer), not a line.
        if (format == null
                || !limited(name)
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        Window w = windows.computeIfAbsent(name, k -> new Window());
        long now = nanoTime.getAsLong();
        long droppedBefore = 0;
        boolean accept;
        boolean firstDrop = false;
        synchronized (w) {
            if (w.lines < 0 || now - w.startNs >= periodNs) {
                droppedBefore = w.dropped;
                w.startNs = now;
                w.lines = 0;
                w.dropped = 0;
            }
            accept = w.lines < maxLines;
            if (accept) {
                w.lines++;
            } else {
                firstDrop = ++w.dropped == 1;
            }
        }
        // The counts go to this class's logger in the limited logger's own context.
        Logger log = logger.getLoggerContext().getLogger(LinesPerLoggerLimit.class);
        if (droppedBefore > 0) {
            log.warn(
                    "{}: {} lines were dropped in a {}-s period that has ended",
                    name,
                    droppedBefore,
                    seconds());
        }
        if (firstDrop) {
            log.warn(
                    "{}: more than {} lines in {} s; the rest of this period's are dropped and"
                            + " counted",
                    name,
                    maxLines,
                    seconds());
        }
        return accept ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    private long seconds() {
        return periodNs / 1_000_000_000L;
    }

    private boolean limited(String name) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** One logger's current period: when it started, the lines written and dropped in it. */
    private static final class Window {
        long startNs;
        int lines = -1; // a fresh window starts its period at its first line
        long dropped;
    }
}
