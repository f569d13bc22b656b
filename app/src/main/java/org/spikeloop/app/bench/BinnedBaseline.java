package org.spikeloop.app.bench;

import org.spikeloop.learn.baseline.KinematicDecoder;

/**
 * Runs a binned {@link KinematicDecoder} (Kalman, Wiener) inside the frame-driven benchmark: frames
 * are summed into bins of {@code framesPerBin} and the decoder runs once per bin; the estimate is
 * the output of the last full bin.
 */
final class BinnedBaseline implements DecoderUnderTest {
    private final String name;
    private final KinematicDecoder decoder;
    private final int framesPerBin;
    private final float[] bin;
    private final double[] output;
    private int frames;

    BinnedBaseline(String name, KinematicDecoder decoder, int framesPerBin) {
        this.name = name;
        this.decoder = decoder;
        this.framesPerBin = framesPerBin;
        this.bin = new float[decoder.featureCount()];
        this.output = new double[decoder.outputCount()];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void frame(float[] counts, double[] velocity) {
        for (int i = 0; i < bin.length; i++) {
            bin[i] += counts[i];
        }
        if (++frames == framesPerBin) {
            decoder.decode(bin, output);
            java.util.Arrays.fill(bin, 0f);
            frames = 0;
        }
    }

    @Override
    public void estimate(double[] out) {
        System.arraycopy(output, 0, out, 0, output.length);
    }
}
