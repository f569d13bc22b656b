package org.spikeloop.learn.trials;

import java.util.regex.Pattern;

/**
 * The text a marker is matched by. Marker streams carry strings ({@code "left_hand"}, {@code
 * "769"}) or numbers (a float32 or double channel holding event codes such as 769.0), and a
 * protocol names its cues as text; both sides are reduced to one canonical text here, so that a cue
 * {@code "769"} matches a string marker {@code "769"}, a string marker {@code "769.0"} and a
 * numeric marker 769.0 alike.
 *
 * <ul>
 *   <li>A <b>number</b> — a numeric marker, or a string that is a plain decimal number ({@code
 *       [+-]digits[.digits][e±digits]}, nothing else: no spaces, no {@code NaN}, no hex) — is
 *       rendered by value: without a decimal point when it is an integer of magnitude below
 *       10<sup>15</sup> ({@code 769.0 → "769"}, {@code "0769" → "769"}, {@code "7.69e2" → "769"},
 *       {@code -0.0 → "0"}), otherwise as {@link Double#toString} ({@code 1.5 → "1.5"}). A float32
 *       value is first read as its shortest float text, so 0.1f matches {@code "0.1"} although its
 *       double value is 0.10000000149….
 *   <li>Any <b>other text</b> is matched exactly: case and white space count.
 * </ul>
 *
 * <p>Stateless; thread-safe. Each call may allocate the returned string.
 */
public final class MarkerText {
    /** Integers below this magnitude print without a decimal point (exact in a double). */
    static final double INTEGER_LIMIT = 1e15;

    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private MarkerText() {}

    /**
     * The text of a numeric marker.
     *
     * @throws IllegalArgumentException when {@code value} is NaN or infinite (no marker text)
     */
    public static String of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a numeric marker must be finite, got " + value);
        }
        if (value == Math.rint(value) && Math.abs(value) < INTEGER_LIMIT) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /**
     * The text of a float32 numeric marker (its shortest float text, then as {@link #of(double)}).
     *
     * @throws IllegalArgumentException when {@code value} is NaN or infinite
     */
    public static String of(float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("a numeric marker must be finite, got " + value);
        }
        return of(Double.parseDouble(Float.toString(value)));
    }

    /**
     * The canonical text of a string marker or of a cue name: a plain decimal number is rendered by
     * value as {@link #of(double)}; anything else is returned unchanged.
     */
    public static String key(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            return text;
        }
        double v = Double.parseDouble(text);
        return Double.isFinite(v) ? of(v) : text;
    }
}
