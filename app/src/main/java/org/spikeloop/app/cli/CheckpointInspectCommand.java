package org.spikeloop.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.ReadoutType;
import org.spikeloop.snn.spec.SpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop checkpoint inspect}: verifies a checkpoint (a damaged one fails with exit 2 and
 * the reason) and prints its architecture, parameter shapes and norms, provenance and checksum
 * status, as text or as one JSON object.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Verify a checkpoint and print its architecture, parameters and provenance.")
final class CheckpointInspectCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CK", description = "Checkpoint to inspect.")
    Path checkpoint;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint c = Checkpoint.read(checkpoint);
        long bytes = Files.size(checkpoint);
        if (json) {
            out.println(
                    new GsonBuilder()
                            .setPrettyPrinting()
                            .serializeNulls()
                            .disableHtmlEscaping()
                            .create()
                            .toJson(toJson(c, bytes)));
        } else {
            printText(out, c, bytes);
        }
        return 0;
    }

    private JsonObject toJson(Checkpoint c, long bytes) {
        JsonObject o = new JsonObject();
        o.addProperty("path", checkpoint.toString());
        o.addProperty("bytes", bytes);
        o.addProperty("formatVersion", Checkpoint.FORMAT_VERSION);
        o.addProperty("checksum", "ok");
        o.addProperty("contentId", c.contentId());
        o.addProperty("storage", c.storage().numpyName());
        o.add("spec", SpecJson.toJson(c.spec()));
        NetworkParams p = c.params();
        o.addProperty("parameterCount", p.count());
        JsonArray params = new JsonArray();
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("name", e.getKey());
            JsonArray shape = new JsonArray();
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            t.addProperty("norm", e.getValue().norm());
            params.add(t);
        }
        o.add("parameters", params);
        Provenance pr = c.provenance();
        JsonObject prov = new JsonObject();
        prov.addProperty("createdAt", pr.createdAt().toString());
        prov.addProperty("creator", pr.creator());
        prov.addProperty("parentId", pr.parentId());
        prov.addProperty("source", pr.source());
        prov.addProperty("notes", pr.notes());
        o.add("provenance", prov);
        return o;
    }

    private void printText(PrintWriter out, Checkpoint c, long bytes) {
        NetworkSpec s = c.spec();
        out.printf(
                "checkpoint   %s (%d bytes, format version %d)%n",
                checkpoint, bytes, Checkpoint.FORMAT_VERSION);
        out.printf("checksum     ok (SHA-256 trailer and content id verified)%n");
        out.printf("content id   %s%n", c.contentId());
        out.printf("storage      %s%n", c.storage().numpyName());
        out.printf(Locale.ROOT, "architecture dt %s ms, %d inputs%n", s.dtMs(), s.inputs());
        if (s.conv() != null) {
            ConvSpec cv = s.conv();
            out.printf(
                    "  conv       %d channels, kernel %d, stride %d, padding %d; %s%n",
                    cv.outChannels(),
                    cv.kernelSize(),
                    cv.stride(),
                    cv.padding(),
                    describe(cv.neuron()));
        }
        for (int l = 0; l < s.layers().size(); l++) {
            LayerSpec layer = s.layers().get(l);
            out.printf(
                    "  layer%-5d %d neurons, %s; %s%n",
                    l,
                    layer.size(),
                    layer.recurrent() ? "recurrent" : "feed-forward",
                    describe(layer.neuron()));
        }
        ReadoutSpec r = s.readout();
        out.printf(
                Locale.ROOT,
                "  readout    %s, %d outputs; %s%n",
                r.type().name().toLowerCase(Locale.ROOT),
                r.size(),
                r.type() == ReadoutType.LEAKY
                        ? "tauOut " + r.tauOutMs() + " ms"
                        : describe(r.neuron()));
        NetworkParams p = c.params();
        out.printf("parameters   %d values%n", p.count());
        int width = p.names().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            out.printf(
                    Locale.ROOT,
                    "  %-" + width + "s  %-12s  norm %.6g%n",
                    e.getKey(),
                    Arrays.toString(e.getValue().shape()),
                    e.getValue().norm());
        }
        Provenance pr = c.provenance();
        out.printf("provenance%n");
        out.printf("  created    %s%n", pr.createdAt());
        out.printf("  creator    %s%n", pr.creator());
        out.printf("  parent     %s%n", pr.parentId() == null ? "(none)" : pr.parentId());
        out.printf("  source     %s%n", pr.source());
        out.printf("  notes      %s%n", pr.notes());
    }

    private static String describe(NeuronSpec n) {
        StringBuilder b = new StringBuilder();
        b.append(n.model().name().toLowerCase(Locale.ROOT))
                .append(" tauMem ")
                .append(n.tauMemMs())
                .append(" ms, threshold ")
                .append(n.thresholdInit())
                .append(", reset ")
                .append(n.reset().name().toLowerCase(Locale.ROOT))
                .append(" offset ")
                .append(n.resetOffsetInit())
                .append(", refractory ")
                .append(n.refractorySteps())
                .append(" steps");
        if (n.model() == NeuronModel.ALIF) {
            b.append(", tauAdapt ")
                    .append(n.tauAdaptMs())
                    .append(" ms, beta ")
                    .append(n.adaptBeta());
        }
        if (n.model() == NeuronModel.TWO_COMPARTMENT) {
            b.append(", tauDend ")
                    .append(n.tauDendMs())
                    .append(" ms, coupling ")
                    .append(n.couplingGain())
                    .append(", dendritic spikes ")
                    .append(
                            n.dendriticSpikes()
                                    ? "on (threshold " + n.dendriticThreshold() + ")"
                                    : "off");
        }
        b.append(", surrogate ")
                .append(n.surrogate().name())
                .append("(scale ")
                .append(n.surrogate().scale())
                .append(", gain ")
                .append(n.surrogate().gain())
                .append(")");
        return b.toString();
    }
}
