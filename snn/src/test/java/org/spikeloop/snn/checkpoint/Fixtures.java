package org.spikeloop.snn.checkpoint;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.spikeloop.snn.checkpoint.CheckpointFormat.RawTensor;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.SpecJson;

/** Small networks and hand-assembled files for the checkpoint tests. */
final class Fixtures {
    static final Provenance PROVENANCE =
            new Provenance(
                    Instant.parse("2025-01-02T03:04:05Z"),
                    "tester",
                    "0".repeat(64),
                    "unit test",
                    "notes: ünïcode ok");

    private Fixtures() {}

    /**
     * Every kind of parameter: conv front-end, a recurrent ALIF layer, a feed-forward
     * two-compartment layer and spike-count readout neurons; small enough to damage at every byte.
     */
    static NetworkSpec smallSpec() {
        return new NetworkSpec(
                1.0,
                2,
                new ConvSpec(3, 3, 2, 2, NeuronSpec.lif()),
                List.of(
                        new LayerSpec(4, true, NeuronSpec.alif()),
                        new LayerSpec(3, false, NeuronSpec.twoCompartment())),
                ReadoutSpec.spikeCount(2, NeuronSpec.lif()));
    }

    static NetworkParams params(NetworkSpec spec, long seed) {
        return Initializer.initialise(spec, InitSpec.seeded(seed));
    }

    static Checkpoint small() throws CheckpointException {
        NetworkSpec spec = smallSpec();
        return Checkpoint.create(spec, params(spec, 7), PROVENANCE);
    }

    /** A well-formed header for {@code spec} claiming {@code contentId}. */
    static byte[] header(NetworkSpec spec, String contentId) {
        JsonObject h = new JsonObject();
        h.addProperty("format", Checkpoint.FORMAT_NAME);
        h.addProperty("contentId", contentId);
        h.add("spec", SpecJson.toJson(spec));
        JsonObject p = new JsonObject();
        p.addProperty("createdAt", "2025-01-02T03:04:05Z");
        p.addProperty("creator", "tester");
        h.add("provenance", p);
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A file with a valid checksum and content id holding exactly {@code tensors}. */
    static byte[] assemble(int version, NetworkSpec spec, List<RawTensor> tensors) {
        byte[] payload = CheckpointFormat.encodePayload(tensors);
        return CheckpointFormat.encodeFile(
                version, header(spec, CheckpointFormat.sha256Hex(payload)), payload);
    }
}
