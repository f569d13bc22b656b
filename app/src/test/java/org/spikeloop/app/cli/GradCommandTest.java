package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * {@code spikeloop grad} and {@code grad --eprop} through the real command line. The e-prop arrays
 * must carry BPTT's names and shapes and, in BPTT's loss convention, equal BPTT's gradient with
 * {@code stopRecurrentGradient} (Bellec et al. 2020: e-prop is BPTT with the gradient stopped
 * through z_{t−1}) to 1e-9 relative, while differing from full BPTT on the recurrent weights.
 */
class GradCommandTest {
    private static final int B = 2;
    private static final int T = 50;
    private static final int C = 6;
    private static final int O = 2;

    @TempDir Path dir;

    private static String config(String layers, String readout, String loss, String options) {
        return "{\"network\": {\"inputs\": "
                + C
                + ", \"layers\": "
                + layers
                + ", \"readout\": "
                + readout
                + "}, \"init\": {\"seed\": 4, \"inputGain\": 3.0, \"readoutGain\": 1.0},"
                + " \"loss\": "
                + loss
                + ", \"options\": "
                + options
                + "}";
    }

    private static String layer(String model, boolean recurrent) {
        return "[{\"size\": 12, \"recurrent\": "
                + recurrent
                + ", \"neuron\": {\"model\": \""
                + model
                + "\", \"refractorySteps\": 2}}]";
    }

    private static final String LEAKY = "{\"type\": \"leaky\", \"size\": " + O + "}";
    private static final String MSE = "{\"name\": \"readout_mse\"}";

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path writeParams(String configText) {
        JobConfig job = JobConfig.parse(configText);
        NetworkParams p = Initializer.initialise(job.spec(), job.init());
        Path file = dir.resolve("params.npz");
        try (NpzFile.Writer w = NpzFile.write(file, false)) {
            for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                w.write(e.getKey(), e.getValue().data(), e.getValue().shape());
            }
        }
        return file;
    }

    private Path writeData() {
        SplittableRandom rng = new SplittableRandom(12);
        double[] x = new double[B * T * C];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1.0 : 0.0;
        }
        double[] y = new double[B * T * O];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.sin(i / 7.0) * (1 + i % O);
        }
        Path file = dir.resolve("data.npz");
        try (NpzFile.Writer w = NpzFile.write(file, false)) {
            w.write("x", x, new int[] {B, T, C});
            w.write("y", y, new int[] {B, T, O});
        }
        return file;
    }

    private static Map<String, double[]> readAll(Path npz, Map<String, int[]> shapes) {
        Map<String, double[]> r = new LinkedHashMap<>();
        try (NpzFile.Reader rd = NpzFile.read(npz)) {
            for (NpzEntry e : rd.introspect()) {
                String name = e.getName().replaceAll("\\.npy$", "");
                var a = rd.get(e.getName(), 1 << 20);
                r.put(name, a.asDoubleArray());
                shapes.put(name, a.getShape());
            }
        }
        return r;
    }

    private CliRun grad(Path cfg, Path params, Path data, Path out, boolean eprop) {
        return eprop
                ? CliRun.of(
                        "grad",
                        "--eprop",
                        "--config",
                        cfg.toString(),
                        "--params",
                        params.toString(),
                        "--data",
                        data.toString(),
                        "--out",
                        out.toString())
                : CliRun.of(
                        "grad",
                        "--config",
                        cfg.toString(),
                        "--params",
                        params.toString(),
                        "--data",
                        data.toString(),
                        "--out",
                        out.toString());
    }

    private static double relativeError(double[] a, double[] ref) {
        double diff = 0.0;
        double max = 0.0;
        for (int i = 0; i < ref.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - ref[i]));
            max = Math.max(max, Math.abs(ref[i]));
        }
        return diff / max;
    }

    @ParameterizedTest
    @CsvSource({"lif, true", "alif, true", "lif, false"})
    void shouldWriteEpropGradientsUnderBpttNamesEqualToStoppedGradientBptt(
            String model, boolean recurrent) throws Exception {
        String stopped =
                config(
                        layer(model, recurrent),
                        LEAKY,
                        MSE,
                        "{\"stopRecurrentGradient\": true, \"threads\": 1}");
        String full = config(layer(model, recurrent), LEAKY, MSE, "{\"threads\": 1}");
        Path params = writeParams(stopped);
        Path data = writeData();
        Path epropOut = dir.resolve("eprop.npz");
        Path bpttOut = dir.resolve("bptt.npz");
        Path fullOut = dir.resolve("full.npz");

        CliRun e = grad(write("stopped.json", stopped), params, data, epropOut, true);
        CliRun b = grad(write("stopped.json", stopped), params, data, bpttOut, false);
        CliRun f = grad(write("full.json", full), params, data, fullOut, false);

        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(f.exitCode()).as(f.err()).isZero();
        assertThat(e.out()).contains("e-prop loss");
        Map<String, int[]> eShapes = new LinkedHashMap<>();
        Map<String, int[]> bShapes = new LinkedHashMap<>();
        Map<String, double[]> ep = readAll(epropOut, eShapes);
        Map<String, double[]> bp = readAll(bpttOut, bShapes);
        Map<String, double[]> fb = readAll(fullOut, new LinkedHashMap<>());

        java.util.List<String> learned =
                recurrent
                        ? java.util.List.of(
                                "layer0.w_in",
                                "layer0.w_rec",
                                "layer0.bias",
                                "readout.w_out",
                                "readout.bias")
                        : java.util.List.of(
                                "layer0.w_in", "layer0.bias", "readout.w_out", "readout.bias");
        assertThat(ep.keySet())
                .containsExactlyInAnyOrder(concat(learned, "loss", "loss.readout_mse"));
        assertThat(bp.keySet()).containsAll(ep.keySet());
        assertThat(ep.get("loss")[0])
                .isCloseTo(
                        bp.get("loss")[0], org.assertj.core.data.Percentage.withPercentage(1e-7));
        for (String name : learned) {
            double[] ref = bp.get(name);
            double max = 0.0;
            for (double v : ref) {
                assertThat(Double.isFinite(v)).as(name + " finite").isTrue();
                max = Math.max(max, Math.abs(v));
            }
            assertThat(max).as(name + " BPTT non-zero").isGreaterThan(1e-8);
            assertThat(eShapes.get(name)).as(name + " shape").containsExactly(bShapes.get(name));
            assertThat(relativeError(ep.get(name), ref)).as(name).isLessThan(1e-9);
        }
        if (recurrent) {
            assertThat(relativeError(ep.get("layer0.w_rec"), fb.get("layer0.w_rec")))
                    .as("e-prop vs full BPTT on w_rec")
                    .isGreaterThan(1e-3);
        }
    }

    private static String[] concat(java.util.List<String> a, String... more) {
        java.util.List<String> r = new java.util.ArrayList<>(a);
        r.addAll(java.util.List.of(more));
        return r.toArray(new String[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"layers", "model", "readout", "loss", "regularisers"})
    void shouldNameTheFieldEpropDoesNotSupport(String unsupported) throws Exception {
        String layers = layer("lif", true);
        String readout = LEAKY;
        String loss = MSE;
        String expected;
        switch (unsupported) {
            case "layers":
                layers =
                        "[{\"size\": 12, \"recurrent\": true}, {\"size\": 8, \"recurrent\":"
                                + " false}]";
                expected = "network.layers";
                break;
            case "model":
                layers =
                        "[{\"size\": 12, \"recurrent\": true, \"neuron\": {\"model\": \"two_compartment\"}}]";
                expected = "network.layers[0].neuron.model";
                break;
            case "readout":
                readout = "{\"type\": \"spike_count\", \"size\": " + O + "}";
                loss = "{\"name\": \"spike_count_ce\"}";
                expected = "network.readout.type";
                break;
            case "loss":
                loss = "{\"name\": \"membrane_target\", \"target\": 0.5}";
                expected = "loss.name";
                break;
            default:
                loss =
                        MSE
                                + ", \"regularisers\": [{\"name\": \"spike_count\", \"weight\":"
                                + " 1e-4}]";
                expected = "regularisers";
        }
        String text = config(layers, readout, loss, "{\"threads\": 1}");
        Path params = writeParams(text);
        Path out = dir.resolve("g.npz");

        CliRun run = grad(write("c.json", text), params, writeData(), out, true);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("spikeloop grad: " + expected);
        assertThat(out).doesNotExist();
        if (unsupported.equals("layers") || unsupported.equals("regularisers")) {
            // the same job and data are valid for BPTT: only e-prop refuses them
            CliRun bptt = grad(write("c.json", text), params, writeData(), out, false);
            assertThat(bptt.exitCode()).as("BPTT runs the same job: " + bptt.err()).isZero();
        }
    }
}
