package org.spikeloop.learn.train;

import static org.spikeloop.learn.train.JsonFields.allowOnly;
import static org.spikeloop.learn.train.JsonFields.bool;
import static org.spikeloop.learn.train.JsonFields.integer;
import static org.spikeloop.learn.train.JsonFields.number;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.spikeloop.learn.bptt.BpttOptions;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.learn.loss.Objectives;
import org.spikeloop.signal.StageSpec;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.InvalidSpecException;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * The configuration of a {@code spikeloop grad} or {@code spikeloop train} job, from one JSON file.
 * Validated once on parsing; every error names the field path.
 *
 * <pre>{@code
 * {"network": { ...NetworkSpec, see SpecJson... },
 *  "init": {"seed": 1, "inputGain": 1.0, "spectralRadius": 1.0, "readoutGain": 1.0},
 *  "loss": {"name": "readout_mse"},
 *  "regularisers": [{"name": "rate_target", "weight": 1e-3, "targetHz": 10}],
 *  "options": {"detachReset": false, "stopRecurrentGradient": false, "threads": 2},
 *  "training": {"optimizer": "adam", "learningRate": 1e-3, "beta1": 0.9, "beta2": 0.999,
 *               "epsilon": 1e-8, "momentum": 0.0, "epochs": 10, "batchSize": 32,
 *               "clipNorm": 0 (off), "seed": 1, "freeze": ["layer0.threshold"]},
 *  "task": {"kind": "classification", "cueClasses": {...}, ...},   // TaskSpec; training jobs
 *  "frontEnd": {"stages": [{"bandPower": {...}}, ...]}}             // FrontEndJson; training jobs
 * }</pre>
 *
 * Defaults: init seed 1 and unit gains; options exact BPTT on all processors; training Adam η =
 * 1e−3, 10 epochs, batch 32, no clipping, seed 1, nothing frozen; task regression; no front-end.
 *
 * <p>{@code task} and {@code frontEnd} matter to training jobs on XDF recordings ({@code spikeloop
 * train --xdf}): a classification task ({@link TaskSpec}) needs one output per class and either a
 * leaky readout with the {@code readout_ce} loss or a spike-count readout with {@code
 * spike_count_ce} (without {@code loss.window}: each trial's window is the loss's); {@code
 * frontEnd} is the signal front-end a job runs over the raw samples of a recording that names none
 * itself (a session recording names its own, which a job's {@code frontEnd}, if given, must equal).
 */
public final class JobConfig {
    private static final Set<String> TOP =
            Set.of(
                    "network",
                    "init",
                    "loss",
                    "regularisers",
                    "options",
                    "training",
                    "task",
                    "frontEnd");
    private static final Set<String> OPTIONS =
            Set.of("detachReset", "stopRecurrentGradient", "threads");
    private static final Set<String> TRAINING =
            Set.of(
                    "optimizer",
                    "learningRate",
                    "beta1",
                    "beta2",
                    "epsilon",
                    "momentum",
                    "epochs",
                    "batchSize",
                    "clipNorm",
                    "seed",
                    "freeze");

    private final JsonObject json;
    private final NetworkSpec spec;
    private final InitSpec init;
    private final BpttOptions options;
    private final TrainingSettings training;
    private final TaskSpec task;
    private final List<StageSpec> frontEnd; // null: none given

    private JobConfig(JsonObject json) {
        this.json = json;
        for (String k : json.keySet()) {
            if (!TOP.contains(k)) {
                throw new IllegalArgumentException(k + " is not a known field; known: " + TOP);
            }
        }
        spec = networkSpec(json);
        init = parseInit(object("init"));
        options = parseOptions(object("options"));
        training = parseTraining(object("training"), spec);
        objective(); // validates loss and regularisers now
        task = json.has("task") ? TaskSpec.parse(object("task")) : TaskSpec.regression();
        if (task.kind() == TaskSpec.Kind.CLASSIFICATION) {
            checkClassification(json, spec, task);
        }
        if (json.has("frontEnd")) {
            JsonObject f = object("frontEnd");
            allowOnly(f, "frontEnd", Set.of("stages"));
            frontEnd = List.copyOf(FrontEndJson.parseStages(f, "frontEnd"));
        } else {
            frontEnd = null;
        }
    }

    private static void checkClassification(JsonObject json, NetworkSpec spec, TaskSpec task) {
        int classes = task.protocol().classCount();
        if (classes < 2) {
            throw new IllegalArgumentException(
                    "task.classNames: a classification task needs at least 2 classes, got "
                            + classes);
        }
        if (spec.outputs() != classes) {
            throw new IllegalArgumentException(
                    "network.readout.size is "
                            + spec.outputs()
                            + " but task.classNames has "
                            + classes
                            + " classes (one output per class)");
        }
        // Objectives has refused a loss that does not fit the readout type (readout_ce needs a
        // leaky readout, spike_count_ce a spike-count one); what remains is a loss that is not a
        // classification loss, and a spike-count window that would override the trials' windows.
        JsonObject lossObject = json.getAsJsonObject("loss");
        String loss = lossObject.get("name").getAsString();
        if (!loss.equals("readout_ce") && !loss.equals("spike_count_ce")) {
            throw new IllegalArgumentException(
                    "loss.name: a classification task trains readout_ce (leaky readout) or"
                            + " spike_count_ce (spike_count readout), got "
                            + loss);
        }
        if (lossObject.has("window")) {
            throw new IllegalArgumentException(
                    "loss.window: a classification task counts each trial's own window; remove"
                            + " loss.window");
        }
    }

    /**
     * The {@code network} object of a config file (a job's, or {@code spikeloop eprop-run}'s),
     * parsed by {@link SpecJson}; errors name their path under {@code network}.
     *
     * @throws IllegalArgumentException when the object is missing or not a valid network spec
     */
    public static NetworkSpec networkSpec(JsonObject config) {
        JsonElement net = config.get("network");
        if (net == null || !net.isJsonObject()) {
            throw new IllegalArgumentException("network is missing (the network spec object)");
        }
        try {
            return SpecJson.network(net.getAsJsonObject());
        } catch (InvalidSpecException e) {
            throw e.under("network");
        }
    }

    /** Parses a job configuration. @throws IllegalArgumentException naming the field */
    public static JobConfig parse(String text) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("config is not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        return new JobConfig(root.getAsJsonObject());
    }

    /** The network architecture. */
    public NetworkSpec spec() {
        return spec;
    }

    /** How fresh parameters are drawn. */
    public InitSpec init() {
        return init;
    }

    /** BPTT options. */
    public BpttOptions options() {
        return options;
    }

    /** Optimiser and schedule. */
    public TrainingSettings training() {
        return training;
    }

    /** What a training job learns ({@code task}; regression when absent). */
    public TaskSpec task() {
        return task;
    }

    /** The front-end stages a training job runs over raw samples ({@code frontEnd}), or null. */
    public List<StageSpec> frontEnd() {
        return frontEnd;
    }

    /** Fresh objective terms (they hold per-batch caches, so each engine gets its own). */
    public List<ObjectiveTerm> objective() {
        return Objectives.parse(json, spec);
    }

    /** The configuration as given. */
    public JsonObject json() {
        return json.deepCopy();
    }

    private JsonObject object(String field) {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            return new JsonObject();
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static InitSpec parseInit(JsonObject o) {
        allowOnly(o, "init", Set.of("seed", "inputGain", "spectralRadius", "readoutGain"));
        try {
            return new InitSpec(
                    (long) number(o, "seed", 1, "init"),
                    number(o, "inputGain", 1.0, "init"),
                    number(o, "spectralRadius", 1.0, "init"),
                    number(o, "readoutGain", 1.0, "init"));
        } catch (InvalidSpecException e) {
            throw e.under("init");
        }
    }

    private static BpttOptions parseOptions(JsonObject o) {
        allowOnly(o, "options", OPTIONS);
        int threads = integer(o, "threads", Runtime.getRuntime().availableProcessors(), "options");
        return new BpttOptions(
                bool(o, "detachReset", false, "options"),
                bool(o, "stopRecurrentGradient", false, "options"),
                threads);
    }

    private static TrainingSettings parseTraining(JsonObject o, NetworkSpec spec) {
        allowOnly(o, "training", TRAINING);
        String opt = o.has("optimizer") ? o.get("optimizer").getAsString() : "adam";
        if (!opt.equals("adam") && !opt.equals("sgd")) {
            throw new IllegalArgumentException(
                    "training.optimizer '" + opt + "' is unknown; known: [adam, sgd]");
        }
        Set<String> freeze = new LinkedHashSet<>();
        if (o.has("freeze")) {
            JsonElement f = o.get("freeze");
            if (!f.isJsonArray()) {
                throw new IllegalArgumentException("training.freeze must be an array of names");
            }
            Set<String> known = NetworkParams.expectedShapes(spec).keySet();
            JsonArray arr = f.getAsJsonArray();
            for (int i = 0; i < arr.size(); i++) {
                String n = arr.get(i).getAsString();
                if (!known.contains(n)) {
                    throw new IllegalArgumentException(
                            "training.freeze["
                                    + i
                                    + "] '"
                                    + n
                                    + "' is not a parameter; known: "
                                    + known);
                }
                freeze.add(n);
            }
        }
        int epochs = integer(o, "epochs", 10, "training");
        int batch = integer(o, "batchSize", 32, "training");
        if (epochs < 1) {
            throw new IllegalArgumentException("training.epochs must be >= 1, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("training.batchSize must be >= 1, got " + batch);
        }
        double clip = number(o, "clipNorm", 0.0, "training");
        if (!(clip >= 0) || !Double.isFinite(clip)) {
            throw new IllegalArgumentException("training.clipNorm must be >= 0, got " + clip);
        }
        return new TrainingSettings(
                opt,
                number(o, "learningRate", 1e-3, "training"),
                number(o, "beta1", 0.9, "training"),
                number(o, "beta2", 0.999, "training"),
                number(o, "epsilon", 1e-8, "training"),
                number(o, "momentum", 0.0, "training"),
                epochs,
                batch,
                clip,
                (long) number(o, "seed", 1, "training"),
                freeze);
    }
}
