package org.spikeloop.learn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.params.Tensor;

class NpzDataTest {
    @TempDir Path dir;

    private static Map<String, Tensor> xy(double[] x, int b, int t, int c) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("x", new Tensor(new int[] {b, t, c}, x));
        return m;
    }

    @Test
    void shouldRejectNaNInInputsNamingFieldAndIndex() {
        double[] x = new double[2 * 3 * 4];
        x[1 * 12 + 2 * 4 + 3] = Double.NaN;
        assertThatThrownBy(() -> NpzData.of(xy(x, 2, 3, 4)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("x ")
                .hasMessageContaining("NaN")
                .hasMessageContaining("[1, 2, 3]");
    }

    @Test
    void shouldRejectInfinityInTargetNamingIt() {
        Map<String, Tensor> m = xy(new double[6], 1, 3, 2);
        m.put("y", new Tensor(new int[] {1, 3, 1}, new double[] {0, Double.POSITIVE_INFINITY, 0}));
        assertThatThrownBy(() -> NpzData.of(m))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("y ")
                .hasMessageContaining("Infinity");
    }

    @Test
    void shouldRejectEmptyDataset() {
        assertThatThrownBy(() -> NpzData.of(xy(new double[0], 0, 10, 3)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("x is empty");
    }

    @Test
    void shouldRejectMissingInputs() {
        assertThatThrownBy(() -> NpzData.of(new LinkedHashMap<>()))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("x is missing");
    }

    @Test
    void shouldRejectUnknownEntryNamingIt() {
        Map<String, Tensor> m = xy(new double[6], 1, 3, 2);
        m.put("lable", new Tensor(new int[] {1}, new double[] {0}));
        assertThatThrownBy(() -> NpzData.of(m))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("lable is not a known data entry");
    }

    @Test
    void shouldRejectTargetWithWrongSampleCount() {
        Map<String, Tensor> m = xy(new double[12], 2, 3, 2);
        m.put("label", new Tensor(new int[] {3}, new double[] {0, 1, 2}));
        assertThatThrownBy(() -> NpzData.of(m))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("label has shape [3]");
    }

    @Test
    void shouldRepeatSharedTargetsAndAcceptSingleSequence() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("x", new Tensor(new int[] {3, 2}, new double[6]));
        m.put("y", new Tensor(new int[] {3, 1}, new double[] {1, 2, 3}));
        Batch b = NpzData.of(m);
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.target("y").shape()).containsExactly(1, 3, 1);
    }

    @Test
    void shouldReadNpzFileAndRejectNaNInFile() {
        Path good = dir.resolve("good.npz");
        try (NpzFile.Writer w = NpzFile.write(good, false)) {
            w.write("x", new float[] {0, 1, 0, 1}, new int[] {2, 2});
            w.write("label", new int[] {1}, new int[] {1});
        }
        Batch b = NpzData.read(good);
        assertThat(b.frames()).isEqualTo(2);
        assertThat(b.x()).containsExactly(0, 1, 0, 1);
        Path bad = dir.resolve("bad.npz");
        try (NpzFile.Writer w = NpzFile.write(bad, false)) {
            w.write("x", new double[] {0, Double.NaN}, new int[] {1, 2});
        }
        assertThatThrownBy(() -> NpzData.read(bad))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("x has a non-finite value NaN");
        assertThatThrownBy(() -> NpzData.read(dir.resolve("missing.npz")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("does not exist");
    }
}
