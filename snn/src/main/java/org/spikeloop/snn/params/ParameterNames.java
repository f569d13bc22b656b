package org.spikeloop.snn.params;

/**
 * The names of a network's parameters, as they appear in checkpoints and {@code .npz} exports.
 * Matrices are row-major, out × in (PyTorch's {@code nn.Linear} convention).
 *
 * <table>
 *   <caption>Parameter names</caption>
 *   <tr><th>name</th><th>shape</th><th>meaning</th></tr>
 *   <tr><td>{@code conv.weight}</td><td>[C_out, C_in, K]</td><td>temporal conv kernel; tap k
 *       multiplies x_{t−K+1+k}</td></tr>
 *   <tr><td>{@code conv.bias}, {@code conv.threshold}, {@code conv.reset_offset}</td><td>[C_out]</td>
 *       <td>conv neurons' bias, θ and δ</td></tr>
 *   <tr><td>{@code layer<l>.w_in}</td><td>[H_l, in_l]</td><td>feed-forward weights of layer l</td></tr>
 *   <tr><td>{@code layer<l>.w_rec}</td><td>[H_l, H_l]</td><td>recurrent weights (zero diagonal),
 *       recurrent layers only</td></tr>
 *   <tr><td>{@code layer<l>.bias}, {@code layer<l>.threshold}, {@code layer<l>.reset_offset}</td>
 *       <td>[H_l]</td><td>per-neuron bias, θ and δ</td></tr>
 *   <tr><td>{@code readout.w_out}</td><td>[O, H_last]</td><td>readout weights</td></tr>
 *   <tr><td>{@code readout.bias}</td><td>[O]</td><td>readout bias</td></tr>
 *   <tr><td>{@code readout.threshold}, {@code readout.reset_offset}</td><td>[O]</td><td>spike-count
 *       readout neurons' θ and δ (SPIKE_COUNT only)</td></tr>
 * </table>
 */
public final class ParameterNames {
    public static final String CONV_WEIGHT = "conv.weight";
    public static final String CONV_BIAS = "conv.bias";
    public static final String CONV_THRESHOLD = "conv.threshold";
    public static final String CONV_RESET_OFFSET = "conv.reset_offset";
    public static final String READOUT_WEIGHT = "readout.w_out";
    public static final String READOUT_BIAS = "readout.bias";
    public static final String READOUT_THRESHOLD = "readout.threshold";
    public static final String READOUT_RESET_OFFSET = "readout.reset_offset";

    private ParameterNames() {}

    public static String inputWeights(int layer) {
        return "layer" + layer + ".w_in";
    }

    public static String recurrentWeights(int layer) {
        return "layer" + layer + ".w_rec";
    }

    public static String bias(int layer) {
        return "layer" + layer + ".bias";
    }

    public static String threshold(int layer) {
        return "layer" + layer + ".threshold";
    }

    public static String resetOffset(int layer) {
        return "layer" + layer + ".reset_offset";
    }
}
