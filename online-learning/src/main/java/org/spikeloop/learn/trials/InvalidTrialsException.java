package org.spikeloop.learn.trials;

import java.util.List;

/**
 * A marker stream that does not segment into usable trials under its protocol ({@link
 * TrialSegmenter#segment}). The message lists every problem, separated by {@code "; "}, on one
 * line; {@link #problems} gives them one by one.
 */
public final class InvalidTrialsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    InvalidTrialsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, each one phrase. */
    public List<String> problems() {
        return problems;
    }
}
