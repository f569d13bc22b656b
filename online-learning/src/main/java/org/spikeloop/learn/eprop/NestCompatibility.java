package org.spikeloop.learn.eprop;

/**
 * Which NEST e-prop implementation the float64 reference reproduces where its conventions differ
 * from Spikeloop's defaults. Everything else (LIF dynamics with subtractive reset, ψ, the
 * κ-filtered eligibility trace with its (1 − κ) factor, learning signal Σ_k B_jk·err_k, readout
 * gradient, plain gradient descent w ← w − η·Σ_t g_t once per update interval) already agrees
 * exactly with NEST 3.10 {@code eprop_iaf_bsshslm_2020} / {@code eprop_readout_bsshslm_2020} when
 * NEST runs with {@code regular_spike_arrival = true} for the recurrent neurons (no (1 − α) input
 * factor), {@code regular_spike_arrival = false} for the readout (the (1 − κ) factor of Spikeloop's
 * readout), {@code eprop_reset_neurons_on_update = true} and one update per sequence; see
 * docs/eprop.md for the step alignment of NEST's delays.
 */
public enum NestCompatibility {
    /** Spikeloop's conventions (the online running-average rate regulariser). */
    NONE,
    /**
     * NEST's {@code eprop_iaf_bsshslm_2020} firing-rate regulariser: at each update, for every
     * synapse ji, g_ji += c_reg·(n_j/T − f*·dt)/T · Σ_t e_ji^t, with n_j the spikes of neuron j and
     * T the steps since the previous update (f* in spikes per ms, dt in ms), instead of the
     * per-step running-average form; {@code rateRegularization} is NEST's c_reg.
     */
    BSSHSLM_2020
}
