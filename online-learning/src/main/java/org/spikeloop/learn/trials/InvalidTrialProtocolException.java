package org.spikeloop.learn.trials;

/**
 * A {@link TrialProtocol} setting that cannot be used. The message is {@code "<field>: <problem>"}
 * with the field named as in the API ({@code cue_classes}, {@code class_names}, {@code trial_s},
 * {@code start_offset_s}, {@code end_cues}, {@code ignored_markers}); a caller whose configuration
 * spells the fields differently (a JSON job config in camelCase, a field path such as {@code
 * spec.lsl_labels.cue_classes}) rebuilds the message from {@link #field} and {@link #problem}.
 */
public final class InvalidTrialProtocolException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    InvalidTrialProtocolException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The field, in snake_case ({@code cue_classes}). */
    public String field() {
        return field;
    }

    /** The field in camelCase ({@code cueClasses}), as a JSON config spells it. */
    public String camelCaseField() {
        StringBuilder s = new StringBuilder(field.length());
        boolean upper = false;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '_') {
                upper = true;
            } else {
                s.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return s.toString();
    }

    /** What is wrong, without the field. */
    public String problem() {
        return problem;
    }
}
