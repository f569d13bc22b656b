package org.spikeloop.server.registry;

import java.util.List;

/**
 * The recorded data a checkpoint was trained on: recording files and the time range used (LSL clock
 * seconds of the inputs stream; NaN = from the start / to the end).
 *
 * @param files recording file names (as given to the job)
 * @param fromS first time stamp used, seconds
 * @param toS last time stamp used, seconds
 */
public record DataRange(List<String> files, double fromS, double toS) {
    public DataRange {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** No data (an init, import or snapshot). */
    public static DataRange none() {
        return new DataRange(List.of(), Double.NaN, Double.NaN);
    }
}
