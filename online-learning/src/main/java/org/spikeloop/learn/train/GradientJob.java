package org.spikeloop.learn.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.GradientResult;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.NpzData;
import org.spikeloop.snn.params.NetworkParams;

/**
 * {@code spikeloop grad}: one BPTT evaluation of a configuration's objective on a data file, with
 * given parameters, written as {@code .npz}: {@code loss} (scalar), {@code loss.<term>} per term,
 * and one float64 array per parameter name (∂loss/∂p, the parameter's shape).
 */
public final class GradientJob {
    private GradientJob() {}

    /** Runs the job; returns the result that was written. */
    public static GradientResult run(JobConfig config, Path params, Path data, Path out) {
        NetworkParams p = ParamsNpz.read(params, config.spec());
        Batch batch = NpzData.read(data);
        GradientResult r;
        try (BpttEngine engine = new BpttEngine(new BpttNetwork(config.spec()), config.options())) {
            r = engine.compute(p, batch, config.objective());
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("loss", r.loss());
        r.terms().forEach((k, v) -> scalars.put("loss." + k, v));
        scalars.put("trajectory_bytes", (double) r.trajectoryBytes());
        ParamsNpz.write(out, r.gradients().asMap(), scalars);
        return r;
    }
}
