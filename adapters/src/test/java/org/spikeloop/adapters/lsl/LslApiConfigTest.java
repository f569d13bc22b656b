package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LslApiConfigTest {
    private static Map<String, String> keys() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("ResolveScope", "machine");
        k.put("ListenAddress", "127.0.0.1");
        return k;
    }

    @Test
    void shouldReplaceTheKeysOfTheSectionAndKeepEverythingElse() {
        String base =
                "; lab config\n[ports]\nIPv6 = disable\n\n[multicast]\nresolvescope = site\n"
                        + "TTLOverride = 3\n[lab]\nKnownPeers = {10.0.0.2}\n";
        assertThat(LslApiConfig.withSection(base, "multicast", keys()))
                .isEqualTo(
                        "; lab config\n[ports]\nIPv6 = disable\n\n[multicast]\nTTLOverride = 3\n"
                                + "ResolveScope = machine\nListenAddress = 127.0.0.1\n[lab]\n"
                                + "KnownPeers = {10.0.0.2}\n");
    }

    @Test
    void shouldAppendTheSectionWhenItIsMissingOrLast() {
        assertThat(LslApiConfig.withSection("", "multicast", keys()))
                .isEqualTo("[multicast]\nResolveScope = machine\nListenAddress = 127.0.0.1\n");
        assertThat(
                        LslApiConfig.withSection(
                                "[ports]\nIPv6 = disable\n\n[multicast]\nResolveScope = link\n",
                                "multicast",
                                keys()))
                .isEqualTo(
                        "[ports]\nIPv6 = disable\n\n[multicast]\nResolveScope = machine\n"
                                + "ListenAddress = 127.0.0.1\n");
    }
}
