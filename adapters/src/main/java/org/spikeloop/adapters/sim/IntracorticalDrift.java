package org.spikeloop.adapters.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Drift events for the {@link IntracorticalRig}, and their text form for command lines.
 *
 * <p>Text form: comma-separated {@code <seconds>:<kind>=<value>} items, e.g. {@code
 * 30:rotate=30,60:dropout=0/10,90:new=10/5,120:gain=0.8}: rotate preferred directions by 30° at 30
 * s, silence units 0–9 at 60 s, give units 10–14 new tuning at 90 s, scale all rates by 0.8 at 120
 * s.
 */
public final class IntracorticalDrift {
    private IntracorticalDrift() {}

    /** Rotates every preferred direction by {@code degrees} (counter-clockwise). */
    public record Rotation(double atS, double degrees) implements DriftEvent<IntracorticalRig> {
        @Override
        public void applyTo(IntracorticalRig rig) {
            rig.rotatePreferredDirections(degrees);
        }
    }

    /** Silences units [from, from + count) (electrode loss). */
    public record Dropout(double atS, int from, int count) implements DriftEvent<IntracorticalRig> {
        public Dropout {
            requireRange("dropout", from, count);
        }

        @Override
        public void applyTo(IntracorticalRig rig) {
            rig.dropUnits(from, count);
        }
    }

    /** Gives units [from, from + count) fresh tuning (new neurons on old electrodes). */
    public record NewUnits(double atS, int from, int count)
            implements DriftEvent<IntracorticalRig> {
        public NewUnits {
            requireRange("new", from, count);
        }

        @Override
        public void applyTo(IntracorticalRig rig) {
            rig.replaceUnits(from, count);
        }
    }

    /** Multiplies every rate by {@code factor}. */
    public record Gain(double atS, double factor) implements DriftEvent<IntracorticalRig> {
        public Gain {
            if (!(factor >= 0.0) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException(
                        "gain factor must be finite and >= 0, got " + factor);
            }
        }

        @Override
        public void applyTo(IntracorticalRig rig) {
            rig.scaleGain(factor);
        }
    }

    /**
     * Parses the text form (see the class comment); an empty or blank text is no drift.
     *
     * @throws IllegalArgumentException naming the item that is malformed
     */
    public static DriftSchedule<IntracorticalRig> parse(String text) {
        List<DriftEvent<IntracorticalRig>> events = new ArrayList<>();
        for (DriftText.Item item : DriftText.items(text)) {
            events.add(
                    switch (item.kind()) {
                        case "rotate" -> new Rotation(item.atS(), item.number(0));
                        case "dropout" -> new Dropout(item.atS(), item.integer(0), item.integer(1));
                        case "new" -> new NewUnits(item.atS(), item.integer(0), item.integer(1));
                        case "gain" -> new Gain(item.atS(), item.number(0));
                        default ->
                                throw new IllegalArgumentException(
                                        "drift item '"
                                                + item.text()
                                                + "': unknown kind '"
                                                + item.kind()
                                                + "' (rotate, dropout, new, gain)");
                    });
        }
        return new DriftSchedule<>(events);
    }

    private static void requireRange(String kind, int from, int count) {
        if (from < 0 || count < 1) {
            throw new IllegalArgumentException(
                    kind + ": from must be >= 0 and count >= 1, got " + from + "/" + count);
        }
    }
}
