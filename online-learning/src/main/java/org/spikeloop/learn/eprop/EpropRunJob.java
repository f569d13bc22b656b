package org.spikeloop.learn.eprop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzEntry;
import org.jetbrains.bio.npy.NpzFile;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.train.ParamsNpz;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * {@code spikeloop eprop run}: trains one network online with the float64 {@link EpropReference}
 * over a labelled stream cut into trials, and writes the per-trial loss and the final weights. It
 * is the Spikeloop side of the NEST cross-check (clients/python/tests/test_eprop_nest.py). Control
 * plane (allocates freely).
 *
 * <p>Config JSON: {@code {"network": {...NetworkSpec...}, "init": {"seed": 1} (used when no params
 * file is given), "eprop": {...see EpropSettingsJson...}}}. Data {@code .npz}: {@code x} [T, C]
 * inputs, {@code y} [T, O] targets (every step labelled), {@code trial_steps} (one value, T must be
 * a multiple), optional {@code feedback} [O, H] (required when {@code eprop.feedback} is "given").
 * Each trial starts from the zero state ({@link EpropReference#resetState()}, NEST's {@code
 * eprop_reset_neurons_on_update}); the update is applied at each trial end when {@code
 * updateIntervalSteps} is 0, else every that many steps. Output {@code .npz}: {@code loss} [trials]
 * (Σ_t ½·Σ_k (ŷ − y*)² per trial, or the cross-entropy), {@code non_finite_events} [1], and the
 * final parameters by name.
 */
public final class EpropRunJob {
    private static final Set<String> TOP = Set.of("network", "init", "eprop");

    private EpropRunJob() {}

    /** Per-trial loss and the final parameters. */
    public record Result(double[] trialLoss, NetworkParams params, long nonFiniteEvents) {}

    /**
     * Runs the job and writes {@code out}.
     *
     * @param params initial parameters {@code .npz}, or null to initialise from {@code "init"}
     * @throws IllegalArgumentException naming the field or entry that is wrong
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public static Result run(Path config, Path params, Path data, Path out) {
        JsonObject json = readJson(config);
        NetworkSpec spec = JobConfig.networkSpec(json);
        EpropConfig cfg =
                EpropSettingsJson.parse(json.has("eprop") ? json.getAsJsonObject("eprop") : null);
        NetworkParams p =
                params != null
                        ? ParamsNpz.read(params, spec)
                        : Initializer.initialise(spec, initSpec(json));
        Map<String, Tensor> d = readNpz(data);
        Result r = run(spec, p, cfg, d);
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("loss", new Tensor(new int[] {r.trialLoss.length}, r.trialLoss));
        arrays.putAll(r.params.asMap());
        ParamsNpz.write(out, arrays, Map.of("non_finite_events", (double) r.nonFiniteEvents));
        return r;
    }

    /**
     * Runs the learner over named arrays ({@code x}, {@code y}, {@code trial_steps}, optional
     * {@code feedback}).
     */
    public static Result run(
            NetworkSpec spec, NetworkParams params, EpropConfig cfg, Map<String, Tensor> d) {
        for (String k : d.keySet()) {
            if (!Set.of("x", "y", "trial_steps", "feedback").contains(k)) {
                throw new IllegalArgumentException(
                        "data entry " + k + " is unknown; known: x, y, trial_steps, feedback");
            }
        }
        Tensor x = required(d, "x", 2);
        Tensor y = required(d, "y", 2);
        int steps = x.shape()[0];
        if (steps == 0) {
            throw new IllegalArgumentException("x has no steps (T = 0)");
        }
        if (x.shape()[1] != spec.inputs()) {
            throw new IllegalArgumentException(
                    "x has " + x.shape()[1] + " channels, the network needs " + spec.inputs());
        }
        if (y.shape()[0] != steps || y.shape()[1] != spec.outputs()) {
            throw new IllegalArgumentException(
                    "y must be ["
                            + steps
                            + ", "
                            + spec.outputs()
                            + "], got ["
                            + y.shape()[0]
                            + ", "
                            + y.shape()[1]
                            + "]");
        }
        Tensor ts = d.get("trial_steps");
        if (ts == null || ts.data().length != 1) {
            throw new IllegalArgumentException(
                    "trial_steps is missing (one value: steps per trial)");
        }
        double tv = ts.data()[0];
        if (!(tv >= 1) || tv != Math.rint(tv) || steps % (int) tv != 0) {
            throw new IllegalArgumentException(
                    "trial_steps = " + tv + " must be a positive integer dividing T = " + steps);
        }
        int trial = (int) tv;
        Tensor fb = d.get("feedback");
        double[] feedback = null;
        if (fb != null) {
            int h = spec.layers().get(0).size();
            if (fb.shape().length != 2 || fb.shape()[0] != spec.outputs() || fb.shape()[1] != h) {
                throw new IllegalArgumentException(
                        "feedback must be [" + spec.outputs() + ", " + h + "] (B [O, H])");
            }
            feedback = fb.data();
        }
        EpropReference ref = new EpropReference(spec, params, cfg, feedback);
        int c = spec.inputs();
        int o = spec.outputs();
        double[] xt = new double[c];
        double[] yt = new double[o];
        double[] loss = new double[steps / trial];
        int interval = cfg.updateIntervalSteps();
        for (int n = 0; n < loss.length; n++) {
            ref.resetState();
            ref.resetLoss();
            for (int t = 0; t < trial; t++) {
                int row = n * trial + t;
                System.arraycopy(x.data(), row * c, xt, 0, c);
                System.arraycopy(y.data(), row * o, yt, 0, o);
                ref.step(xt, yt);
                if (interval > 0 && (row + 1) % interval == 0) {
                    ref.applyUpdate();
                }
            }
            loss[n] = ref.loss();
            if (interval == 0) {
                ref.applyUpdate();
            }
        }
        return new Result(loss, ref.params(), ref.nonFiniteEvents());
    }

    private static Tensor required(Map<String, Tensor> d, String name, int rank) {
        Tensor t = d.get(name);
        if (t == null) {
            throw new IllegalArgumentException("data entry " + name + " is missing");
        }
        if (t.shape().length != rank) {
            throw new IllegalArgumentException(
                    "data entry " + name + " must have rank " + rank + ", got " + t.shape().length);
        }
        return t;
    }

    private static InitSpec initSpec(JsonObject json) {
        InitSpec d = InitSpec.seeded(1);
        if (!json.has("init")) {
            return d;
        }
        JsonObject o = json.getAsJsonObject("init");
        for (String k : o.keySet()) {
            if (!Set.of("seed", "inputGain", "spectralRadius", "readoutGain").contains(k)) {
                throw new IllegalArgumentException("init." + k + " is not a known field");
            }
        }
        return new InitSpec(
                o.has("seed") ? o.get("seed").getAsLong() : d.seed(),
                o.has("inputGain") ? o.get("inputGain").getAsDouble() : d.inputGain(),
                o.has("spectralRadius")
                        ? o.get("spectralRadius").getAsDouble()
                        : d.spectralRadius(),
                o.has("readoutGain") ? o.get("readoutGain").getAsDouble() : d.readoutGain());
    }

    private static JsonObject readJson(Path config) {
        try {
            JsonElement e = JsonParser.parseString(Files.readString(config));
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("--config must hold a JSON object");
            }
            JsonObject o = e.getAsJsonObject();
            for (String k : o.keySet()) {
                if (!TOP.contains(k)) {
                    throw new IllegalArgumentException(k + " is not a known field; known: " + TOP);
                }
            }
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("--config " + config + " cannot be read", e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("--config is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Tensor> readNpz(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--data file " + path + " does not exist");
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        try (NpzFile.Reader r = NpzFile.read(path)) {
            for (NpzEntry e : r.introspect()) {
                String name = e.getName().replaceAll("\\.npy$", "");
                NpyArray a = r.get(e.getName(), 1 << 18);
                m.put(name, new Tensor(shape(a), doubles(name, a.getData())));
            }
        }
        return m;
    }

    private static int[] shape(NpyArray a) {
        int[] s = a.getShape();
        return s.length == 0 ? new int[] {1} : s;
    }

    private static double[] doubles(String name, Object data) {
        double[] d;
        if (data instanceof double[] dd) {
            d = dd;
        } else if (data instanceof float[] f) {
            d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
        } else if (data instanceof long[] l) {
            d = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                d[i] = l[i];
            }
        } else if (data instanceof int[] n) {
            d = new double[n.length];
            for (int i = 0; i < n.length; i++) {
                d[i] = n[i];
            }
        } else if (data instanceof boolean[] b) {
            d = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                d[i] = b[i] ? 1.0 : 0.0;
            }
        } else {
            throw new IllegalArgumentException(
                    "data entry " + name + " must be float64, float32, integer or bool");
        }
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new IllegalArgumentException(
                        "data entry " + name + "[" + i + "] is " + d[i] + " (must be finite)");
            }
        }
        return d;
    }
}
