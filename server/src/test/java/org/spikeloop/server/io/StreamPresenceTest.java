package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;

/**
 * The marker stream presence check over the real liblsl on this machine, with streams on the
 * network that liblsl publishes and our header parser refuses.
 */
class StreamPresenceTest {

    @Test
    void shouldNoticeAVanishedStreamWhileUnreadableStreamsAreOnTheNetwork() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(StreamPresence.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        String name = LslPeers.unique("presence");
        Outlet markers = LslPeers.outlet(name, ChannelFormat.STRING, 1, 0);
        try (LslPeers.RawOutlet noChannels =
                        new LslPeers.RawOutlet(LslPeers.unique("no-channels"), 0, 3);
                // this one answers resolvers with an empty header (name, uid, source_id "")
                LslPeers.RawOutlet undefinedFormat =
                        new LslPeers.RawOutlet(LslPeers.unique("undefined"), 1, 0);
                StreamPresence presence =
                        new StreamPresence("source_id", name + "-src", 1.0, "test-presence")) {
            await(() -> presence.unparsableStreams() == 2, "both unreadable streams skipped");
            assertThat(presence.present()).isTrue();
            Thread.sleep(5 * StreamPresence.POLL_MS); // more polls: still present, nothing new

            markers.close();
            await(() -> !presence.present(), "the vanished marker stream to count as gone");

            assertThat(presence.unparsableStreams()).as("counted once each").isEqualTo(2);
            List<String> warnings;
            synchronized (logged) {
                warnings =
                        logged.list.stream()
                                .filter(e -> e.getLevel() == Level.WARN)
                                .map(ILoggingEvent::getFormattedMessage)
                                .toList();
            }
            assertThat(warnings)
                    .as("logged once per stream, not per poll")
                    .hasSize(2)
                    .anySatisfy(
                            w ->
                                    assertThat(w)
                                            .contains(noChannels.name)
                                            .contains("channel_count: must be >= 1, got 0"))
                    .anySatisfy(
                            w ->
                                    assertThat(w)
                                            .contains("stream '' (uid , source_id ''")
                                            .contains("channel_format: unknown value 'undefined'"));
        } finally {
            markers.close();
            log.detachAppender(logged);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
