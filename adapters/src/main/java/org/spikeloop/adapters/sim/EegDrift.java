package org.spikeloop.adapters.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Drift events for {@link MotorImageryEeg}, and their text form for command lines.
 *
 * <p>Text form: comma-separated {@code <seconds>:<kind>=<values>} items, e.g. {@code
 * 120:amplitude=0.6,150:impedance=7/20/5}: scale the physiological signal by 0.6 at 120 s; at 150 s
 * give channel 7 an extra 20 µV of white noise and 5 µV of mains pickup.
 */
public final class EegDrift {
    private EegDrift() {}

    /** Scales the physiological signal by {@code factor}. */
    public record AmplitudeShift(double atS, double factor) implements DriftEvent<MotorImageryEeg> {
        public AmplitudeShift {
            if (!(factor > 0.0) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException(
                        "amplitude factor must be finite and > 0, got " + factor);
            }
        }

        @Override
        public void applyTo(MotorImageryEeg rig) {
            rig.scaleAmplitude(factor);
        }
    }

    /** Raises one channel's impedance: extra white noise and mains pickup (µV). */
    public record ImpedanceShift(double atS, int channel, double noiseUv, double lineUv)
            implements DriftEvent<MotorImageryEeg> {
        public ImpedanceShift {
            if (channel < 0 || !(noiseUv >= 0.0) || !(lineUv >= 0.0)) {
                throw new IllegalArgumentException(
                        "impedance: channel, noiseUv and lineUv must be >= 0, got "
                                + channel
                                + "/"
                                + noiseUv
                                + "/"
                                + lineUv);
            }
        }

        @Override
        public void applyTo(MotorImageryEeg rig) {
            rig.shiftImpedance(channel, noiseUv, lineUv);
        }
    }

    /**
     * Parses the text form (see the class comment); an empty or blank text is no drift.
     *
     * @throws IllegalArgumentException naming the item that is malformed
     */
    public static DriftSchedule<MotorImageryEeg> parse(String text) {
        List<DriftEvent<MotorImageryEeg>> events = new ArrayList<>();
        for (DriftText.Item item : DriftText.items(text)) {
            events.add(
                    switch (item.kind()) {
                        case "amplitude" -> new AmplitudeShift(item.atS(), item.number(0));
                        case "impedance" ->
                                new ImpedanceShift(
                                        item.atS(),
                                        item.integer(0),
                                        item.number(1),
                                        item.number(2));
                        default ->
                                throw new IllegalArgumentException(
                                        "drift item '"
                                                + item.text()
                                                + "': unknown kind '"
                                                + item.kind()
                                                + "' (amplitude, impedance)");
                    });
        }
        return new DriftSchedule<>(events);
    }
}
