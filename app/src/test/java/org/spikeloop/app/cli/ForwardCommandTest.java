package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.kernel.ReferenceNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.SpecJson;

class ForwardCommandTest {
    private static final int T = 60;

    @TempDir Path dir;

    private final NetworkSpec spec =
            new NetworkSpec(
                    1.0,
                    6,
                    null,
                    List.of(
                            new LayerSpec(10, true, NeuronSpec.alif()),
                            new LayerSpec(7, false, NeuronSpec.lif())),
                    ReadoutSpec.leaky(2));
    private final NetworkParams params =
            Initializer.initialise(spec, new InitSpec(3, 4.0, 1.0, 1.0));

    private double[] inputs(int t, int inputs) {
        SplittableRandom rng = new SplittableRandom(9);
        double[] x = new double[t * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1.0 : 0.0;
        }
        return x;
    }

    private Path writeInput(double[] x, int inputs) {
        Path p = dir.resolve("x.npz");
        try (NpzFile.Writer w = NpzFile.write(p, false)) {
            w.write("x", x, new int[] {x.length / inputs, inputs});
        }
        return p;
    }

    private Path writeParams(NetworkParams p, String specJson) {
        Path file = dir.resolve("params.npz");
        try (NpzFile.Writer w = NpzFile.write(file, false)) {
            for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                w.write(e.getKey(), e.getValue().data(), e.getValue().shape());
            }
            if (specJson != null) {
                w.write("__spec_json__", specJson.getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    private static double[] read(Path npz, String name, int[] expectedShape) {
        try (NpzFile.Reader r = NpzFile.read(npz)) {
            var a = r.get(name, 1 << 20);
            assertThat(a.getShape()).as(name).containsExactly(expectedShape);
            return a.asDoubleArray();
        }
    }

    @Test
    void shouldWriteTheReferenceTraceForSpecAndParamsInFloat64() throws Exception {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, SpecJson.write(this.spec));
        double[] x = inputs(T, 6);
        Path out = dir.resolve("out.npz");

        CliRun run =
                CliRun.of(
                        "forward",
                        "--spec",
                        spec.toString(),
                        "--params",
                        writeParams(params, null).toString(),
                        "--data",
                        writeInput(x, 6).toString(),
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        double[] readout = read(out, "readout", new int[] {T, 2});
        double[] z0 = read(out, "layer0.spikes", new int[] {T, 10});
        double[] v1 = read(out, "layer1.v", new int[] {T, 7});
        ReferenceNetwork ref = new ReferenceNetwork(this.spec, params);
        double[] y = new double[2];
        double spikes = 0;
        for (int t = 0; t < T; t++) {
            double[] frame = new double[6];
            System.arraycopy(x, t * 6, frame, 0, 6);
            ref.step(frame, y);
            for (int o = 0; o < 2; o++) {
                assertThat(readout[t * 2 + o]).isEqualTo(y[o]);
            }
            for (int j = 0; j < 10; j++) {
                assertThat(z0[t * 10 + j]).isEqualTo(ref.spikes(0)[j]);
                spikes += z0[t * 10 + j];
            }
            for (int j = 0; j < 7; j++) {
                assertThat(v1[t * 7 + j]).isEqualTo(ref.membrane(1)[j]);
            }
        }
        assertThat(spikes).isPositive();
    }

    @Test
    void shouldRunACheckpointInFloat32WithTheProductionKernel() throws Exception {
        Path ck = dir.resolve("net.ckpt");
        Checkpoint.create(spec, params, Provenance.now("test", "forward")).write(ck);
        double[] x = inputs(T, 6);
        Path out = dir.resolve("out32.npz");

        CliRun run =
                CliRun.of(
                        "forward",
                        "--checkpoint",
                        ck.toString(),
                        "--data",
                        writeInput(x, 6).toString(),
                        "--out",
                        out.toString(),
                        "--precision",
                        "float32");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().trim()).isEqualTo(out.toString());
        double[] v0 = read(out, "layer0.v", new int[] {T, 10});
        FloatNetwork f = new FloatNetwork(spec, Checkpoint.read(ck).params());
        float[] frame = new float[6];
        float[] y = new float[2];
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < 6; i++) {
                frame[i] = (float) x[t * 6 + i];
            }
            f.step(frame, y);
            for (int j = 0; j < 10; j++) {
                assertThat(v0[t * 10 + j]).isEqualTo(f.layer(0).v(j));
            }
        }
    }

    @Test
    void shouldRecordOnlyTheStepsAStridedConvTakesAndItsSpikes() {
        NetworkSpec conv =
                new NetworkSpec(
                        1.0,
                        4,
                        new ConvSpec(3, 3, 2, 0, NeuronSpec.lif()),
                        List.of(new LayerSpec(5, true, NeuronSpec.lif())),
                        ReadoutSpec.spikeCount(2, NeuronSpec.lif()));
        NetworkParams p = Initializer.initialise(conv, InitSpec.seeded(4));
        Path out = dir.resolve("conv.npz");

        CliRun run =
                CliRun.of(
                        "forward",
                        "--params",
                        writeParams(p, SpecJson.write(conv)).toString(),
                        "--data",
                        writeInput(inputs(11, 4), 4).toString(),
                        "--out",
                        out.toString());

        // K = 3, stride 2, padding 0: outputs at frames 2, 4, 6, 8, 10 -> T' = 5.
        assertThat(run.exitCode()).as(run.err()).isZero();
        read(out, "conv.spikes", new int[] {5, 3});
        read(out, "readout", new int[] {5, 2});
        read(out, "layer0.v", new int[] {5, 5});
    }

    @Test
    void shouldRejectAnInputOfTheWrongWidthNamingTheShape() {
        Path spec = dir.resolve("spec.json");
        try {
            Files.writeString(spec, SpecJson.write(this.spec));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        CliRun run =
                CliRun.of(
                        "forward",
                        "--spec",
                        spec.toString(),
                        "--params",
                        writeParams(params, null).toString(),
                        "--data",
                        writeInput(inputs(T, 5), 5).toString(),
                        "--out",
                        dir.resolve("o.npz").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("x must have shape [T, 6], got [60, 5]");
        assertThat(dir.resolve("o.npz")).doesNotExist();
    }

    @Test
    void shouldRejectANonFiniteInputNamingFrameAndChannel() {
        double[] x = inputs(T, 6);
        x[7 * 6 + 4] = Double.NaN;

        CliRun run =
                CliRun.of(
                        "forward",
                        "--params",
                        writeParams(params, SpecJson.write(spec)).toString(),
                        "--data",
                        writeInput(x, 6).toString(),
                        "--out",
                        dir.resolve("o.npz").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("frame 7: input channel 4 is NaN");
        assertThat(run.err().lines()).hasSize(1);
        assertThat(dir.resolve("o.npz")).doesNotExist();
    }

    @Test
    void shouldAskForTheSpecWhenTheParamsArchiveHasNone() {
        CliRun run =
                CliRun.of(
                        "forward",
                        "--params",
                        writeParams(params, null).toString(),
                        "--data",
                        writeInput(inputs(T, 6), 6).toString(),
                        "--out",
                        dir.resolve("o.npz").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("pass the spec with --spec SPEC.json");
    }

    @Test
    void shouldRejectAnUnknownPrecisionAndAMissingX() throws Exception {
        Path noX = dir.resolve("nox.npz");
        try (NpzFile.Writer w = NpzFile.write(noX, false)) {
            w.write("y", new double[] {1, 2}, new int[] {1, 2});
        }
        String paramsNpz = writeParams(params, SpecJson.write(spec)).toString();

        CliRun precision =
                CliRun.of(
                        "forward",
                        "--params",
                        paramsNpz,
                        "--data",
                        writeInput(inputs(T, 6), 6).toString(),
                        "--out",
                        dir.resolve("o.npz").toString(),
                        "--precision",
                        "float16");
        CliRun missing =
                CliRun.of(
                        "forward",
                        "--params",
                        paramsNpz,
                        "--data",
                        noX.toString(),
                        "--out",
                        dir.resolve("o.npz").toString());

        assertThat(precision.exitCode()).isEqualTo(2);
        assertThat(precision.err())
                .contains("--precision must be float64 or float32, got 'float16'");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("has no array named x");
    }
}
