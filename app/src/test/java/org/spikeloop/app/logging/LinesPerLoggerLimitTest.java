package org.spikeloop.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.spikeloop.app.Main;

/** The per-logger line limit, alone and as the shipped logback.xml configures it for gRPC. */
class LinesPerLoggerLimitTest {

    private static ListAppender<ILoggingEvent> capture(LoggerContext ctx) {
        ListAppender<ILoggingEvent> out = new ListAppender<>();
        out.setContext(ctx);
        out.start();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(out);
        return out;
    }

    private static List<String> messages(ListAppender<ILoggingEvent> out) {
        return out.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aLimitedLoggerWritesItsQuotaSaysItDropsAndCountsWhatItDropped() {
        LoggerContext ctx = new LoggerContext();
        long[] now = {0};
        LinesPerLoggerLimit limit = new LinesPerLoggerLimit(() -> now[0]);
        limit.setContext(ctx);
        limit.setMaxLines(3);
        limit.setPeriodSeconds(10);
        limit.start();
        ctx.addTurboFilter(limit);
        ListAppender<ILoggingEvent> out = capture(ctx);
        Logger grpc = ctx.getLogger("io.grpc.netty.NettyServerHandler");
        Logger ours = ctx.getLogger("org.spikeloop.server.Something");

        for (int i = 0; i < 100; i++) {
            grpc.warn("Stream Error {}", i);
            ours.warn("ours {}", i);
        }
        List<String> first = messages(out);
        assertThat(first.stream().filter(m -> m.startsWith("Stream Error")))
                .containsExactly("Stream Error 0", "Stream Error 1", "Stream Error 2");
        assertThat(first.stream().filter(m -> m.startsWith("ours"))).hasSize(100);
        assertThat(first)
                .containsOnlyOnce(
                        "io.grpc.netty.NettyServerHandler: more than 3 lines in 10 s; the rest of"
                                + " this period's are dropped and counted");

        out.list.clear();
        now[0] += 10_000_000_000L; // the next period
        grpc.warn("Stream Error {}", 100);
        assertThat(messages(out))
                .containsExactly(
                        "io.grpc.netty.NettyServerHandler: 97 lines were dropped in a 10-s period"
                                + " that has ended",
                        "Stream Error 100");
    }

    @Test
    void linesBelowTheLevelAndLevelChecksAreNotCounted() {
        LoggerContext ctx = new LoggerContext();
        LinesPerLoggerLimit limit = new LinesPerLoggerLimit(() -> 0);
        limit.setContext(ctx);
        limit.setMaxLines(2);
        limit.start();
        ctx.addTurboFilter(limit);
        ListAppender<ILoggingEvent> out = capture(ctx);
        Logger netty = ctx.getLogger("io.netty.channel.X");
        netty.setLevel(ch.qos.logback.classic.Level.WARN);
        for (int i = 0; i < 50; i++) {
            netty.info("below the level");
            assertThat(netty.isErrorEnabled()).isTrue(); // a check, not a line
        }
        netty.warn("a");
        netty.warn("b");
        assertThat(messages(out)).containsExactly("a", "b");
    }

    @Test
    void theShippedConfigLimitsGrpcAndTellsJulItsLevels() throws Exception {
        // The application's logback.xml (tests run with the server's logback-test.xml instead).
        LoggerContext ctx = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(ctx);
        try (InputStream xml = Main.class.getResourceAsStream("/logback.xml")) {
            joran.doConfigure(xml);
        }
        ListAppender<ILoggingEvent> out = capture(ctx);
        Logger grpc = ctx.getLogger("io.grpc.netty.NettyServerHandler");
        for (int i = 0; i < 500; i++) {
            grpc.warn("Stream Error", new IllegalStateException("refused " + i));
        }
        assertThat(out.list.stream().filter(e -> e.getLoggerName().equals(grpc.getName())))
                .hasSize(10);
        assertThat(messages(out))
                .contains(
                        "io.grpc.netty.NettyServerHandler: more than 10 lines in 10 s; the rest of"
                                + " this period's are dropped and counted");
        // The propagator copied io.grpc's WARN to JUL: gRPC's INFO records are not even built.
        assertThat(
                        java.util.logging.Logger.getLogger("io.grpc.netty.NettyServerHandler")
                                .isLoggable(Level.INFO))
                .isFalse();
        ctx.stop();
    }

    @Test
    void julRecordsReachSlf4j() {
        LogRouting.install();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> out = capture(ctx);
        try {
            java.util.logging.Logger.getLogger("io.grpc.Test").log(Level.SEVERE, "routed");
            assertThat(out.list)
                    .anyMatch(
                            e ->
                                    e.getLoggerName().equals("io.grpc.Test")
                                            && e.getFormattedMessage().equals("routed"));
        } finally {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(out);
        }
    }
}
