package org.spikeloop.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.NpzInterchange;
import org.spikeloop.snn.kernel.ForwardTrace;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop forward}: runs a network over an input sequence and writes every step's readout,
 * spikes and membranes to an {@code .npz} (snn contract, "Forward CLI"), for equivalence tests
 * against independent implementations.
 *
 * <p>Input {@code X.npz} holds {@code x} [T, inputs] (float64 or float32). Output arrays, all
 * float64 [T', width]: {@code readout}, {@code layer<l>.spikes}, {@code layer<l>.v}, and {@code
 * conv.spikes} with a conv front-end; T' is the number of steps the network took. The network comes
 * from {@code --checkpoint CK} or from {@code --spec SPEC.json --params PARAMS.npz} (one array per
 * parameter name; the spec may instead be the archive's {@code __spec_json__} entry). Success exits
 * 0 and prints the output path.
 */
@Command(
        name = "forward",
        mixinStandardHelpOptions = true,
        description =
                "Run a network over X.npz and write readout, spikes and membranes to OUT.npz.")
public final class ForwardCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Network network;

    static final class Network {
        @Option(names = "--checkpoint", paramLabel = "CK", description = "Checkpoint to run.")
        Path checkpoint;

        @ArgGroup(exclusive = false)
        SpecAndParams specAndParams;
    }

    static final class SpecAndParams {
        @Option(
                names = "--params",
                required = true,
                paramLabel = "PARAMS.npz",
                description = "One array per parameter name (float32/float64).")
        Path params;

        @Option(
                names = "--spec",
                paramLabel = "SPEC.json",
                description = "Network spec. Default: the archive's __spec_json__ entry.")
        Path spec;
    }

    @Option(
            names = "--data",
            required = true,
            paramLabel = "X.npz",
            description = "Input frames: array x [T, inputs].")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "OUT.npz",
            description = "Readout, spikes and membranes to write.")
    Path out;

    @Option(
            names = "--precision",
            defaultValue = "float64",
            paramLabel = "float64|float32",
            description =
                    "float64 (reference kernel) or float32 (production kernel). Default:"
                            + " ${DEFAULT-VALUE}.")
    String precision;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = commandSpec.commandLine().getOut();
        ForwardTrace.Precision p = parsePrecision(precision);
        NetworkSpec spec;
        NetworkParams params;
        if (network.checkpoint != null) {
            Checkpoint c = Checkpoint.read(network.checkpoint);
            spec = c.spec();
            params = c.params();
        } else {
            NpzInterchange.Contents contents = NpzInterchange.read(network.specAndParams.params);
            spec = readSpec(network.specAndParams.spec, contents);
            params = NetworkParams.of(spec, contents.tensors());
        }
        double[][] x = readInput(input, spec.inputs());
        ForwardTrace trace = ForwardTrace.run(spec, params, x, p);
        write(trace, out);
        stdout.println(out);
        stdout.flush();
        return 0;
    }

    static ForwardTrace.Precision parsePrecision(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "float64":
                return ForwardTrace.Precision.FLOAT64;
            case "float32":
                return ForwardTrace.Precision.FLOAT32;
            default:
                throw new IllegalArgumentException(
                        "--precision must be float64 or float32, got '" + s + "'");
        }
    }

    private static NetworkSpec readSpec(Path specFile, NpzInterchange.Contents contents)
            throws IOException {
        if (specFile != null) {
            return SpecJson.parse(Files.readString(specFile));
        }
        if (contents.specJson() == null) {
            throw new IllegalArgumentException(
                    "--params archive has no "
                            + NpzInterchange.SPEC_ENTRY
                            + " entry; pass the spec with --spec SPEC.json");
        }
        return SpecJson.parse(contents.specJson());
    }

    /**
     * Reads {@code x} [T, inputs] as float64 rows.
     *
     * @throws IllegalArgumentException naming the problem (missing x, rank, width, dtype)
     */
    static double[][] readInput(Path npz, int inputs) {
        if (!Files.isRegularFile(npz)) {
            throw new IllegalArgumentException("--data " + npz + ": no such input file");
        }
        NpyArray a;
        try (NpzFile.Reader r = NpzFile.read(npz)) {
            boolean found = false;
            for (NpzEntry e : r.introspect()) {
                found |= e.getName().equals("x");
            }
            if (!found) {
                throw new IllegalArgumentException(npz + ": has no array named x [T, inputs]");
            }
            a = r.get("x", 1 << 20);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // The npz library throws undeclared IOExceptions and runtime exceptions.
            throw new IllegalArgumentException(npz + ": cannot read as npz: " + e.getMessage(), e);
        }
        int[] shape = a.getShape();
        if (shape.length != 2 || shape[1] != inputs) {
            throw new IllegalArgumentException(
                    npz + ": x must have shape [T, " + inputs + "], got " + Arrays.toString(shape));
        }
        Object data = a.getData();
        double[][] x = new double[shape[0]][inputs];
        if (data instanceof double[] d) {
            for (int t = 0; t < x.length; t++) {
                System.arraycopy(d, t * inputs, x[t], 0, inputs);
            }
        } else if (data instanceof float[] f) {
            for (int t = 0; t < x.length; t++) {
                for (int i = 0; i < inputs; i++) {
                    x[t][i] = f[t * inputs + i];
                }
            }
        } else {
            throw new IllegalArgumentException(
                    npz + ": x must be float64 or float32, got " + data.getClass().getSimpleName());
        }
        return x;
    }

    /** Writes the trace atomically (temporary file, then rename). */
    static void write(ForwardTrace trace, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (NpzFile.Writer w = NpzFile.write(tmp, false)) {
            for (ForwardTrace.Entry e : trace.entries()) {
                w.write(e.name(), e.values(), new int[] {trace.steps(), e.width()});
            }
        } catch (RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
