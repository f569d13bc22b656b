package org.spikeloop.learn.bptt;

import static org.spikeloop.snn.params.ParameterNames.*;

import org.spikeloop.snn.params.NetworkParams;

/**
 * The parameters of one gradient evaluation in the layouts the loops want: each weight matrix both
 * as stored (out × in, rows read by the backward's Wᵀ·δ) and transposed (in × out, rows read by the
 * forward's sum over active inputs). Refreshed from {@link NetworkParams} before every batch;
 * read-only while the workers run.
 */
final class BoundParams {
    final double[][] win;
    final double[][] winT;
    final double[][] wrec;
    final double[][] wrecT;

    /** W_in and W_rec as separate row arrays, for the backward's Wᵀ·δ kernel. */
    final double[][][] winRows;

    final double[][][] wrecRows;

    final double[][] bias;
    final double[][] theta;
    final double[][] delta;
    double[] wout;
    double[] woutT;
    double[] bout;

    BoundParams(BpttNetwork net) {
        int p = net.pops.length;
        win = new double[p][];
        winT = new double[p][];
        wrec = new double[p][];
        wrecT = new double[p][];
        winRows = new double[p][][];
        wrecRows = new double[p][][];
        bias = new double[p][];
        theta = new double[p][];
        delta = new double[p][];
        for (int i = 0; i < p; i++) {
            Population pop = net.pops[i];
            winT[i] = new double[pop.inputs * pop.size];
            winRows[i] = new double[pop.size][pop.inputs];
            if (pop.recurrent) {
                wrecT[i] = new double[pop.size * pop.size];
                wrecRows[i] = new double[pop.size][pop.size];
            }
        }
        if (net.leaky) {
            woutT = new double[net.outputs * net.spec.lastLayerSize()];
        }
    }

    /** Points at {@code params}' live arrays and refreshes the transposed copies. */
    void bind(BpttNetwork net, NetworkParams params) {
        for (int i = 0; i < net.pops.length; i++) {
            Population pop = net.pops[i];
            win[i] = params.get(pop.weightName).data();
            transpose(win[i], pop.size, pop.inputs, winT[i]);
            rows(win[i], pop.inputs, winRows[i]);
            if (pop.recurrent) {
                wrec[i] = params.get(pop.recurrentName).data();
                transpose(wrec[i], pop.size, pop.size, wrecT[i]);
                rows(wrec[i], pop.size, wrecRows[i]);
            }
            bias[i] = params.get(pop.biasName).data();
            theta[i] = params.get(pop.thresholdName).data();
            delta[i] = params.get(pop.resetOffsetName).data();
        }
        if (net.leaky) {
            wout = params.get(READOUT_WEIGHT).data();
            transpose(wout, net.outputs, net.spec.lastLayerSize(), woutT);
            bout = params.get(READOUT_BIAS).data();
        }
    }

    /** Copies a flat row-major matrix into its row arrays. */
    static void rows(double[] in, int cols, double[][] out) {
        for (int r = 0; r < out.length; r++) {
            System.arraycopy(in, r * cols, out[r], 0, cols);
        }
    }

    /** out[c, r] = in[r, c] for a rows × cols matrix. */
    static void transpose(double[] in, int rows, int cols, double[] out) {
        for (int r = 0; r < rows; r++) {
            int ro = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[ro + c];
            }
        }
    }
}
