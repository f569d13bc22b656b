package org.spikeloop.learn.eprop;

/**
 * Where presynaptic row i of the learned layer lives in the network's live float32 weights, and
 * which parameter group (learning rate, norm guard) it belongs to. The float kernel keeps layer 0's
 * weights transposed (row i holds the weights from presynaptic i to every neuron j), so row i of
 * the learner's per-synapse state, laid out [P][H] with p_t = [x_t, 1, z_{t−1}] (Bellec et al.
 * 2020, Methods eq. (14): one eligibility vector per presynaptic value), is one contiguous run of H
 * weights:
 *
 * <pre>
 *   i &lt; inputs          w_inᵀ row i                  group INPUT
 *   i = inputs          the bias b                    group BIAS
 *   i &gt; inputs          w_recᵀ row i − inputs − 1     group RECURRENT (its element j = i − inputs − 1
 *                                                     is the autapse w_jj, kept at 0)
 * </pre>
 *
 * <p>Immutable view over the network's live arrays: the engine thread that steps the network is
 * their only writer. Allocation: none after construction.
 */
final class SynapticRows {
    static final int INPUT = 0;
    static final int RECURRENT = 1;
    static final int BIAS = 2;

    /** Parameter groups, indexed by {@link #INPUT}, {@link #RECURRENT}, {@link #BIAS}. */
    static final int GROUPS = 3;

    private final int inputs;
    private final int neurons;
    private final int count;
    private final float[] inputWeights;
    private final float[] recurrentWeights;
    private final float[] bias;

    /**
     * @param inputWeights w_inᵀ [inputs][H], live (modified by the learner's update)
     * @param recurrentWeights w_recᵀ [H][H], live, or null for a layer without recurrence
     * @param bias b [H], live
     * @param inputs the number of inputs
     * @param neurons H
     */
    SynapticRows(
            float[] inputWeights, float[] recurrentWeights, float[] bias, int inputs, int neurons) {
        this.inputWeights = inputWeights;
        this.recurrentWeights = recurrentWeights;
        this.bias = bias;
        this.inputs = inputs;
        this.neurons = neurons;
        this.count = inputs + 1 + (recurrentWeights != null ? neurons : 0);
    }

    /** P = inputs + 1 (bias) + H (if recurrent). */
    int count() {
        return count;
    }

    /** H, the length of every row. */
    int neurons() {
        return neurons;
    }

    int inputs() {
        return inputs;
    }

    boolean recurrent() {
        return recurrentWeights != null;
    }

    /** The live array that holds row i. */
    float[] array(int i) {
        if (i < inputs) {
            return inputWeights;
        }
        return i == inputs ? bias : recurrentWeights;
    }

    /** Where row i starts in {@link #array(int)}. */
    int offset(int i) {
        if (i < inputs) {
            return i * neurons;
        }
        return i == inputs ? 0 : (i - inputs - 1) * neurons;
    }

    /** Row i's group: {@link #INPUT}, {@link #RECURRENT} or {@link #BIAS}. */
    int group(int i) {
        if (i < inputs) {
            return INPUT;
        }
        return i == inputs ? BIAS : RECURRENT;
    }

    /** The element of row i that is an autapse (recurrent rows), or −1. */
    int diagonal(int i) {
        return i > inputs ? i - inputs - 1 : -1;
    }

    /** Every weight of a group, as one live array (null: RECURRENT without recurrence). */
    float[] groupArray(int group) {
        return group == INPUT ? inputWeights : group == RECURRENT ? recurrentWeights : bias;
    }
}
