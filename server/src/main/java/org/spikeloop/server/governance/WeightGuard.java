package org.spikeloop.server.governance;

import java.util.Map;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * Guards on live weights: every value finite, and the Frobenius norm over the weight matrices
 * (names containing {@code w_} or {@code weight}, as the engine computes it) within a limit.
 */
public final class WeightGuard {
    private WeightGuard() {}

    /** The reason the guard fires, or null when the weights pass. */
    public static String check(NetworkParams params, double normLimit) {
        double sum = 0;
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            double[] d = e.getValue().data();
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    return "non-finite weights: " + e.getKey() + "[" + i + "] = " + d[i];
                }
            }
            String n = e.getKey();
            if (n.contains("w_") || n.contains("weight")) {
                for (double v : d) {
                    sum += v * v;
                }
            }
        }
        double norm = Math.sqrt(sum);
        if (norm > normLimit) {
            return "weight norm " + norm + " above the limit " + normLimit;
        }
        return null;
    }
}
