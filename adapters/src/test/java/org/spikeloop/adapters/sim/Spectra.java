package org.spikeloop.adapters.sim;

/** Test helper: Welch power spectral density estimates by direct DFT at chosen frequencies. */
final class Spectra {
    private Spectra() {}

    /**
     * Mean Hann-windowed periodogram |X(f)|² of {@code x[from, to)} at {@code freqHz}, over
     * segments of {@code segment} samples with 50 % overlap (arbitrary units, consistent across
     * calls with the same segment length).
     */
    static double power(double[] x, int from, int to, int segment, double freqHz, double fs) {
        double sum = 0.0;
        int count = 0;
        for (int start = from; start + segment <= to; start += segment / 2) {
            double re = 0.0;
            double im = 0.0;
            for (int n = 0; n < segment; n++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / (segment - 1));
                double phase = 2 * Math.PI * freqHz * n / fs;
                re += w * x[start + n] * Math.cos(phase);
                im -= w * x[start + n] * Math.sin(phase);
            }
            sum += re * re + im * im;
            count++;
        }
        return sum / count;
    }

    /** Mean power over [loHz, hiHz] sampled every 0.5 Hz. */
    static double bandPower(
            double[] x, int from, int to, int segment, double loHz, double hiHz, double fs) {
        double sum = 0.0;
        int n = 0;
        for (double f = loHz; f <= hiHz + 1e-9; f += 0.5) {
            sum += power(x, from, to, segment, f, fs);
            n++;
        }
        return sum / n;
    }

    /** Least-squares slope of log10 power against log10 frequency. */
    static double logLogSlope(double[] x, int segment, double[] freqsHz, double fs) {
        int n = freqsHz.length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double f : freqsHz) {
            double lx = Math.log10(f);
            double ly = Math.log10(power(x, 0, x.length, segment, f, fs));
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    /** {@code count} log-spaced frequencies from loHz to hiHz. */
    static double[] logSpaced(double loHz, double hiHz, int count) {
        double[] f = new double[count];
        for (int i = 0; i < count; i++) {
            f[i] = loHz * Math.pow(hiHz / loHz, i / (double) (count - 1));
        }
        return f;
    }
}
