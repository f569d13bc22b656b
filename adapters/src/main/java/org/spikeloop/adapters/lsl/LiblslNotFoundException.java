package org.spikeloop.adapters.lsl;

import java.util.List;

/** liblsl could not be found; the message lists every place that was searched, in order. */
public final class LiblslNotFoundException extends RuntimeException {
    private final List<String> placesSearched;

    LiblslNotFoundException(String reason, List<String> placesSearched) {
        super(
                reason
                        + "; looked in:\n  - "
                        + String.join("\n  - ", placesSearched)
                        + "\nSet SPIKELOOP_LIBLSL=/path/to/liblsl.so, or run"
                        + " clients/python/setup-venv.sh (pylsl ships liblsl).");
        this.placesSearched = List.copyOf(placesSearched);
    }

    /** Every place searched, in search order, as human-readable descriptions. */
    public List<String> placesSearched() {
        return placesSearched;
    }
}
