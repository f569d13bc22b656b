package org.spikeloop.adapters.sim;

import java.util.SplittableRandom;

/**
 * Simulated cue-based motor-imagery EEG (µV), sample by sample, with its cue markers.
 *
 * <p>Each channel c carries, scaled by the amplitude gain g:
 *
 * <pre>
 *   x_c(t) = g·[ Σ_s w_{s,c}·e_s(t)·(A_mu·m_s(t) + A_beta·b_s(t)) + A_bg·(p_c(t) + ρ_ref·p_ref(t)) ]
 *            + (σ_sensor + σ_imp,c)·n_c(t) + L_c·sin(2π f_line t)
 * </pre>
 *
 * with three sensorimotor sources s at C3, C4 and Cz, spread by volume conduction w_{s,c} =
 * exp(−d²/(2·1.2²)) over the inter-electrode distance d; m_s and b_s independent unit-variance
 * {@link NarrowbandRhythm}s (mu at {@code muHz}, 2 Hz wide; beta at {@code betaHz}, 8 Hz wide); p_c
 * independent unit-variance 1/f^α {@link PinkNoiseBank} noise per channel plus a common reference
 * term (ρ_ref = 0.3); n_c white noise. The envelope e_s follows its target with a 0.3 s time
 * constant: √(1 − erdFraction) while the current class desynchronises source s (see {@link
 * ImageryKind}), else 1, so band power falls by {@code erdFraction}.
 *
 * <p>Trials follow {@link TrialTiming}; classes come in shuffled blocks holding each class once.
 * {@link #step} returns the marker that starts at that sample ({@link EegConfig#TRIAL_START}, the
 * cue name, {@link EegConfig#TRIAL_END}) or null; the strings are the config's own instances.
 *
 * <p>Non-stationarity: {@link #scaleAmplitude} (the whole physiological signal) and {@link
 * #shiftImpedance} (per-channel extra white and line noise), usually applied by a {@link
 * DriftSchedule}.
 *
 * <p>Seeded and deterministic. Single-threaded; {@link #step} allocates nothing.
 */
public final class MotorImageryEeg {
    private static final double SOURCE_SPREAD = 1.2;
    private static final double REFERENCE_FRACTION = 0.3;
    private static final double ENVELOPE_TAU_S = 0.3;
    private static final double MU_BANDWIDTH_HZ = 2.0;
    private static final double BETA_BANDWIDTH_HZ = 8.0;
    private static final double LOWEST_BACKGROUND_HZ = 0.05;
    private static final String[] SOURCE_SITES = {"C3", "C4", "Cz"};
    private static final int LEFT_MOTOR = 0;
    private static final int RIGHT_MOTOR = 1;
    private static final int VERTEX = 2;
    private static final ImageryKind[] KINDS = ImageryKind.values();

    private enum Phase {
        FIXATION,
        IMAGERY,
        BREAK
    }

    private final EegConfig config;
    private final int channels;
    private final double sampleRateHz;
    private final String[] cues;
    private final int fixationSamples;
    private final int imagerySamples;
    private final double[] sourceWeight; // [source * channels + c]
    private final NarrowbandRhythm[] mu = new NarrowbandRhythm[3];
    private final NarrowbandRhythm[] beta = new NarrowbandRhythm[3];
    private final double[] envelope = {1.0, 1.0, 1.0};
    private final double[] envelopeTarget = {1.0, 1.0, 1.0};
    private final double envelopeStep;
    private final double desynchronisedAmplitude;
    private final PinkNoiseBank background;
    private final double[] pink;
    private final double[] rhythm = new double[3];
    private final double[] extraNoiseUv;
    private final double[] lineUv;
    private final double lineStepRad;
    private final SplittableRandom rhythmRng;
    private final SplittableRandom noiseRng;
    private final SplittableRandom trialRng;
    private final int[] block;
    private int blockPos;
    private double amplitudeGain = 1.0;
    private double linePhaseRad;
    private Phase phase = Phase.BREAK;
    private int samplesLeft;
    private int currentClass = -1;
    private long trials;
    private long sampleIndex;

    public MotorImageryEeg(EegConfig config) {
        this.config = config;
        this.channels = config.channels();
        this.sampleRateHz = config.sampleRateHz();
        this.cues = config.cueNames().subList(0, config.classes()).toArray(new String[0]);
        TrialTiming timing = config.timing();
        this.fixationSamples = Math.max(1, (int) Math.round(timing.fixationS() * sampleRateHz));
        this.imagerySamples = Math.max(1, (int) Math.round(timing.imageryS() * sampleRateHz));
        EegMontage montage = config.montage();
        this.sourceWeight = new double[SOURCE_SITES.length * channels];
        for (int s = 0; s < SOURCE_SITES.length; s++) {
            double[] site = EegMontage.knownPosition(SOURCE_SITES[s]);
            for (int c = 0; c < channels; c++) {
                double dx = montage.x(c) - site[0];
                double dy = montage.y(c) - site[1];
                sourceWeight[s * channels + c] =
                        Math.exp(-(dx * dx + dy * dy) / (2 * SOURCE_SPREAD * SOURCE_SPREAD));
            }
        }
        for (int s = 0; s < 3; s++) {
            mu[s] = new NarrowbandRhythm(config.muHz(), MU_BANDWIDTH_HZ, sampleRateHz);
            beta[s] = new NarrowbandRhythm(config.betaHz(), BETA_BANDWIDTH_HZ, sampleRateHz);
        }
        this.envelopeStep = 1.0 - Math.exp(-1.0 / (ENVELOPE_TAU_S * sampleRateHz));
        this.desynchronisedAmplitude = Math.sqrt(1.0 - config.erdFraction());
        SplittableRandom root = new SplittableRandom(config.seed());
        this.rhythmRng = root.split();
        this.noiseRng = root.split();
        this.trialRng = root.split();
        this.background =
                new PinkNoiseBank(
                        channels + 1,
                        config.pinkExponent(),
                        sampleRateHz,
                        LOWEST_BACKGROUND_HZ,
                        root.split());
        this.pink = new double[channels + 1];
        this.extraNoiseUv = new double[channels];
        this.lineUv = new double[channels];
        this.lineStepRad = 2.0 * Math.PI * config.lineHz() / sampleRateHz;
        this.block = new int[config.classes()];
        this.blockPos = block.length;
        // Let the resonators reach their stationary amplitude (≈ 10 time constants of the mu pole).
        int warmUp = (int) Math.ceil(10.0 * sampleRateHz / (Math.PI * MU_BANDWIDTH_HZ));
        for (int i = 0; i < warmUp; i++) {
            for (int s = 0; s < 3; s++) {
                mu[s].next(rhythmRng);
                beta[s].next(rhythmRng);
            }
        }
    }

    public EegConfig config() {
        return config;
    }

    public int channels() {
        return channels;
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    /**
     * Advances one sample.
     *
     * @param samplesOut length &ge; channels, receives µV per channel (modified)
     * @return the marker starting at this sample, or null
     */
    public String step(float[] samplesOut) {
        String marker = null;
        if (samplesLeft == 0) {
            marker = advancePhase();
        }
        samplesLeft--;
        for (int s = 0; s < 3; s++) {
            envelope[s] += envelopeStep * (envelopeTarget[s] - envelope[s]);
            rhythm[s] =
                    envelope[s]
                            * (config.muUv() * mu[s].next(rhythmRng)
                                    + config.betaUv() * beta[s].next(rhythmRng));
        }
        background.next(pink);
        final double bgUv = config.backgroundUv();
        final double reference = REFERENCE_FRACTION * pink[channels];
        final double sensorUv = config.sensorNoiseUv();
        final double line = Math.sin(linePhaseRad);
        linePhaseRad += lineStepRad;
        if (linePhaseRad > 2.0 * Math.PI) {
            linePhaseRad -= 2.0 * Math.PI;
        }
        final double gain = amplitudeGain;
        for (int c = 0; c < channels; c++) {
            double brain =
                    sourceWeight[c] * rhythm[0]
                            + sourceWeight[channels + c] * rhythm[1]
                            + sourceWeight[2 * channels + c] * rhythm[2]
                            + bgUv * (pink[c] + reference);
            double noise = (sensorUv + extraNoiseUv[c]) * noiseRng.nextGaussian();
            samplesOut[c] = (float) (gain * brain + noise + lineUv[c] * line);
        }
        sampleIndex++;
        return marker;
    }

    private String advancePhase() {
        switch (phase) {
            case BREAK -> {
                phase = Phase.FIXATION;
                samplesLeft = fixationSamples;
                trials++;
                return EegConfig.TRIAL_START;
            }
            case FIXATION -> {
                phase = Phase.IMAGERY;
                samplesLeft = imagerySamples;
                currentClass = nextClass();
                setTargets(KINDS[currentClass]);
                return cues[currentClass];
            }
            default -> {
                phase = Phase.BREAK;
                TrialTiming t = config.timing();
                double breakS =
                        t.breakMinS() + (t.breakMaxS() - t.breakMinS()) * trialRng.nextDouble();
                samplesLeft = Math.max(1, (int) Math.round(breakS * sampleRateHz));
                currentClass = -1;
                setTargets(ImageryKind.REST);
                return EegConfig.TRIAL_END;
            }
        }
    }

    private void setTargets(ImageryKind kind) {
        envelopeTarget[LEFT_MOTOR] = kind == ImageryKind.RIGHT_HAND ? desynchronisedAmplitude : 1;
        envelopeTarget[RIGHT_MOTOR] = kind == ImageryKind.LEFT_HAND ? desynchronisedAmplitude : 1;
        envelopeTarget[VERTEX] = kind == ImageryKind.FEET ? desynchronisedAmplitude : 1;
    }

    /** Next class of a shuffled block holding every class once (Fisher–Yates, in place). */
    private int nextClass() {
        if (blockPos == block.length) {
            for (int i = 0; i < block.length; i++) {
                block[i] = i;
            }
            for (int i = block.length - 1; i > 0; i--) {
                int j = trialRng.nextInt(i + 1);
                int tmp = block[i];
                block[i] = block[j];
                block[j] = tmp;
            }
            blockPos = 0;
        }
        return block[blockPos++];
    }

    /** Class index during imagery (from the cue to {@link EegConfig#TRIAL_END}), else −1. */
    public int currentClass() {
        return currentClass;
    }

    /** Number of trials started so far. */
    public long trials() {
        return trials;
    }

    /** Samples produced so far. */
    public long samples() {
        return sampleIndex;
    }

    /**
     * Multiplies the physiological signal (rhythms and background, not the sensor noise) by {@code
     * factor}, e.g. a change of electrode gel or of the subject's state.
     *
     * @throws IllegalArgumentException unless factor is finite and &gt; 0
     */
    public void scaleAmplitude(double factor) {
        if (!(factor > 0.0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException(
                    "amplitude factor must be finite and > 0, got " + factor);
        }
        amplitudeGain *= factor;
    }

    /**
     * Raises channel {@code channel}'s electrode impedance: adds white noise of {@code noiseUv} RMS
     * and mains pickup of {@code lineUv} amplitude (both replace earlier values for that channel).
     *
     * @throws IllegalArgumentException for a channel outside the montage or a negative amplitude
     */
    public void shiftImpedance(int channel, double noiseUv, double lineUv) {
        if (channel < 0 || channel >= channels) {
            throw new IllegalArgumentException(
                    "impedance shift: channel " + channel + " outside [0, " + channels + ")");
        }
        if (!(noiseUv >= 0.0) || !(lineUv >= 0.0) || !Double.isFinite(noiseUv + lineUv)) {
            throw new IllegalArgumentException(
                    "impedance shift: noiseUv and lineUv must be finite and >= 0, got "
                            + noiseUv
                            + " and "
                            + lineUv);
        }
        extraNoiseUv[channel] = noiseUv;
        this.lineUv[channel] = lineUv;
    }

    /** Current amplitude gain (1 until {@link #scaleAmplitude}). */
    public double amplitudeGain() {
        return amplitudeGain;
    }
}
