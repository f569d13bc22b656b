package org.spikeloop.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The refused-call summaries against real audit logs: a file, and /dev/full (every write ENOSPC).
 */
class RefusalLogTest {
    @TempDir Path dir;
    private final Logger log = (Logger) LoggerFactory.getLogger(RefusalLog.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void release() {
        log.detachAppender(logged);
    }

    @Test
    void shouldKeepSummarisingAndKeepTheCountsWhileTheAuditLogCannotBeWritten() throws Exception {
        Path file = dir.resolve("audit.log");
        AtomicBoolean diskFull = new AtomicBoolean(true);
        try (AuditLog full = new AuditLog(Path.of("/dev/full"), Clock.systemUTC());
                AuditLog audit = new AuditLog(file, Clock.systemUTC())) {
            // The disk is full, then has room again: the same summaries go to /dev/full, then to
            // the file.
            RefusalLog.AuditSink disk =
                    (who, action, session, previous, next) ->
                            (diskFull.get() ? full : audit)
                                    .record(who, action, session, previous, next);
            try (RefusalLog refusals = new RefusalLog(disk, 20, 2)) {
                refusals.refused(RefusalLog.Reason.UNAUTHENTICATED, "?", "A/One", "p1");
                refusals.refused(RefusalLog.Reason.UNAUTHENTICATED, "?", "A/Two", "p2");
                refusals.refused(RefusalLog.Reason.UNAUTHENTICATED, "?", "A/Three", "p3");
                await(() -> warnings().size() == 1, "the first failed summary's warning");
                assertThat(warnings().get(0).getFormattedMessage())
                        .contains("refused-call summary not written")
                        .contains("No space left on device");

                refusals.refused(RefusalLog.Reason.PERMISSION_DENIED, "bob", "B/One", "p4");
                refusals.refused(RefusalLog.Reason.PERMISSION_DENIED, "bob", "B/Two", "p5");
                Thread.sleep(200); // about ten more intervals, each failing
                assertThat(warnings()).as("one warning per streak, not per interval").hasSize(1);
                assertThat(Files.size(file)).isZero();

                diskFull.set(false);
                await(() -> lines(file).size() == 1, "the summary once the disk has room");
                Thread.sleep(100); // nothing new: no further line
                List<String> lines = lines(file);
                assertThat(lines).hasSize(1);
                assertThat(lines.get(0))
                        .contains("\"action\":\"refused.summary\"")
                        .containsPattern(
                                "\"previous\":\"interval 20 ms and [0-9]+ earlier ones the audit"
                                        + " log could not take\"")
                        .contains("5 refused (UNAUTHENTICATED 3, PERMISSION_DENIED 2)")
                        .contains(
                                "samples: UNAUTHENTICATED A/One who=? peer=p1; UNAUTHENTICATED"
                                        + " A/Two who=? peer=p2\"");
                assertThat(events())
                        .anySatisfy(
                                e ->
                                        assertThat(e.getFormattedMessage())
                                                .contains("refused-call summary written again"));

                // A later interval is summed up on its own again.
                refusals.refused(RefusalLog.Reason.PERMISSION_DENIED, "carol", "C/One", "p6");
                await(() -> lines(file).size() == 2, "the next interval's summary");
                assertThat(lines(file).get(1))
                        .contains("\"previous\":\"interval 20 ms\"")
                        .contains("1 refused (UNAUTHENTICATED 0, PERMISSION_DENIED 1)");
                assertThat(refusals.total(RefusalLog.Reason.UNAUTHENTICATED)).isEqualTo(3);
                assertThat(refusals.total(RefusalLog.Reason.PERMISSION_DENIED)).isEqualTo(3);
            }
        }
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void shouldLogTheLastSummaryWhenTheAuditLogCannotTakeItAtClose() throws Exception {
        try (AuditLog full = new AuditLog(Path.of("/dev/full"), Clock.systemUTC())) {
            RefusalLog refusals = new RefusalLog(full, 60_000, 1);
            refusals.refused(RefusalLog.Reason.UNAUTHENTICATED, "?", "A/One", "p1");
            refusals.close();
        }
        assertThat(warnings())
                .anySatisfy(
                        e ->
                                assertThat(e.getFormattedMessage())
                                        .contains("refused-call summary lost at shutdown")
                                        .contains(
                                                "1 refused (UNAUTHENTICATED 1, PERMISSION_DENIED 0)")
                                        .contains("A/One"));
    }

    /** What was logged so far (the appender adds under its own lock, from the writer thread). */
    private List<ILoggingEvent> events() {
        synchronized (logged) {
            return List.copyOf(logged.list);
        }
    }

    private List<ILoggingEvent> warnings() {
        return events().stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
