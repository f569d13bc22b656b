package org.spikeloop.signal;

/**
 * Test oracle: the analytic magnitude of the bilinear-transformed, pre-warped Butterworth band-pass
 * (high-pass at lowHz times low-pass at highHz, each of order N): with Ω(f) = tan(πf/f_s),
 * |H_LP(f)|² = 1 / (1 + (Ω(f)/Ω(f_hi))^{2N}), |H_HP(f)|² = 1 / (1 + (Ω(f_lo)/Ω(f))^{2N}).
 */
final class Butterworth {
    private Butterworth() {}

    static double gain(double hz, double lowHz, double highHz, double rateHz, int order) {
        double w = Math.tan(Math.PI * hz / rateHz);
        double lo = Math.tan(Math.PI * lowHz / rateHz);
        double hi = Math.tan(Math.PI * highHz / rateHz);
        double lp = 1 / (1 + Math.pow(w / hi, 2 * order));
        double hp = 1 / (1 + Math.pow(lo / w, 2 * order));
        return Math.sqrt(lp * hp);
    }
}
