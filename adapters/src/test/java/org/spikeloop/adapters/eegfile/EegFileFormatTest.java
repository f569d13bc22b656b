package org.spikeloop.adapters.eegfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EegFileFormatTest {
    @Test
    void shouldChooseTheFormatByExtensionInAnyCase() {
        assertThat(EegFileFormat.of(Path.of("a/B0101T.gdf"))).contains(EegFileFormat.GDF);
        assertThat(EegFileFormat.of(Path.of("S001R04.EDF"))).contains(EegFileFormat.EDF);
        assertThat(EegFileFormat.of(Path.of("x.y.Bdf"))).contains(EegFileFormat.BDF);
        assertThat(EegFileFormat.of(Path.of("rec.xdf"))).isEmpty();
        assertThat(EegFileFormat.of(Path.of("gdf"))).isEmpty();
    }

    @Test
    void shouldNameStreamsAfterTheFileWithoutExtension() {
        assertThat(EegFileFormat.stem(Path.of("/data/B0101T.gdf"))).isEqualTo("B0101T");
        assertThat(EegFileFormat.stem(Path.of("x.y.edf"))).isEqualTo("x.y");
        assertThat(EegFileFormat.stem(Path.of(".edf"))).isEqualTo(".edf");
    }
}
