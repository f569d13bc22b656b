package org.spikeloop.adapters.eegfile;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The recording formats MNE reads for us, chosen by the file's extension as MNE's own {@code
 * read_raw} does (the helper then checks the file's identification bytes).
 */
public enum EegFileFormat {
    GDF,
    EDF,
    BDF;

    /** The format a file name's extension names ({@code .gdf}, {@code .edf}, {@code .bdf}). */
    public static Optional<EegFileFormat> of(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = s.substring(dot + 1).toUpperCase(Locale.ROOT);
        for (EegFileFormat f : values()) {
            if (f.name().equals(ext)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The file's name without its extension (the default stream name). */
    public static String stem(Path file) {
        String s = file.getFileName().toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
