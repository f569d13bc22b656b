package org.spikeloop.adapters.lsl;

import java.util.List;

/** liblsl could not be found; the message lists every place that was searched, in order. */
public final class LiblslNotFoundException extends RuntimeException {
    /** What to do about it, for a message of one line. */
    public static final String HINT =
            "set SPIKELOOP_LIBLSL=/path/to/liblsl.so, or run clients/python/setup-venv.sh (pylsl"
                    + " ships liblsl)";

    private final String reason;
    private final List<String> placesSearched;

    LiblslNotFoundException(String reason, List<String> placesSearched) {
        super(
                reason
                        + "; looked in:\n  - "
                        + String.join("\n  - ", placesSearched)
                        + "\nTo fix: "
                        + HINT
                        + ".");
        this.reason = reason;
        this.placesSearched = List.copyOf(placesSearched);
    }

    /** Why the search failed, without the places searched (one line). */
    public String reason() {
        return reason;
    }

    /** Every place searched, in search order, as human-readable descriptions. */
    public List<String> placesSearched() {
        return placesSearched;
    }
}
