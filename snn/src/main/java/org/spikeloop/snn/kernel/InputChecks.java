package org.spikeloop.snn.kernel;

import org.spikeloop.snn.spec.ConvSpec;

/**
 * Argument checks and the conv emission rule shared by both kernels. The success path allocates
 * nothing; the exception message is built only when a check fails.
 */
final class InputChecks {
    private InputChecks() {}

    static void requireLengths(int xLength, int outLength, int inputs, int outputs) {
        if (xLength != inputs) {
            throw new IllegalArgumentException(
                    "input frame x has " + xLength + " channels, the network has " + inputs);
        }
        if (outLength != outputs) {
            throw new IllegalArgumentException(
                    "output array out has length " + outLength + ", the network has " + outputs);
        }
    }

    static IllegalArgumentException nonFinite(int channel, double value) {
        return new IllegalArgumentException(
                "input channel "
                        + channel
                        + " is "
                        + value
                        + " (x["
                        + channel
                        + "] must be finite)");
    }

    /**
     * Whether input frame {@code t} (0-based) produces a conv output: q = t + padding − (K − 1) ≥ 0
     * and q mod stride = 0 (snn contract).
     */
    static boolean convEmits(long t, ConvSpec conv) {
        long q = t + conv.padding() - (conv.kernelSize() - 1);
        return q >= 0 && q % conv.stride() == 0;
    }
}
