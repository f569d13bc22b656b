package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Pointer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The continuous resolver with streams on the network that liblsl publishes and {@link StreamInfo}
 * refuses (channel_count 0, channel_format undefined), over the real liblsl on this machine.
 */
class ContinuousResolverTest {

    @Test
    void shouldSkipAndReportStreamsWhoseHeadersItRefusesOrNameThemWhenAskedToThrow()
            throws Exception {
        Lsl.load();
        String good = "good-" + UUID.randomUUID();
        String noChannels = "no-channels-" + UUID.randomUUID();
        String undefined = "undefined-" + UUID.randomUUID();
        Pointer[] bad = {
            LslNative.lsl_create_streaminfo(noChannels, "Markers", 0, 0.0, 3, noChannels),
            LslNative.lsl_create_streaminfo(undefined, "Markers", 1, 0.0, 0, undefined)
        };
        Pointer[] outlets = new Pointer[bad.length];
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(good, "Markers", 1, ChannelFormat.STRING)
                                        .sourceId(good)
                                        .build());
                ContinuousResolver resolver = ContinuousResolver.all(2.0)) {
            for (int i = 0; i < bad.length; i++) {
                outlets[i] = LslNative.lsl_create_outlet(bad[i], 0, 360);
                assertThat(outlets[i]).as("liblsl publishes it").isNotNull();
            }
            List<IllegalArgumentException> refused = new CopyOnWriteArrayList<>();
            long end = System.nanoTime() + 10_000_000_000L;
            List<StreamInfo> found = List.of();
            while (System.nanoTime() < end
                    && (refused.size() < 2
                            || found.stream().noneMatch(s -> s.name().equals(good)))) {
                refused.clear();
                found = resolver.results(refused::add);
                Thread.sleep(20);
            }
            assertThat(found)
                    .extracting(StreamInfo::name)
                    .contains(good)
                    .doesNotContain(noChannels, undefined);
            assertThat(refused)
                    .extracting(Throwable::getMessage)
                    .hasSize(2)
                    .anySatisfy(
                            m ->
                                    assertThat(m)
                                            .startsWith("stream '" + noChannels + "' (uid ")
                                            .contains("source_id '" + noChannels + "', address ")
                                            .contains("channel_count: must be >= 1, got 0"))
                    .anySatisfy(
                            m ->
                                    assertThat(m)
                                            // its outlet answers with an empty header
                                            .startsWith("stream '' (uid , source_id '', address ")
                                            .contains("channel_format: unknown value 'undefined'"));
            assertThatThrownBy(resolver::results)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("stream '");
        } finally {
            for (int i = 0; i < bad.length; i++) {
                if (outlets[i] != null) {
                    LslNative.lsl_destroy_outlet(outlets[i]);
                }
                LslNative.lsl_destroy_streaminfo(bad[i]);
            }
        }
    }
}
