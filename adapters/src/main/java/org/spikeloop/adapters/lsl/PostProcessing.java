package org.spikeloop.adapters.lsl;

/**
 * Inlet post-processing flags ({@code lsl_processing_options_t}); OR them together. The default,
 * {@link #NONE}, returns the sender's ground-truth time stamps, which XDF recording needs.
 */
public final class PostProcessing {
    public static final int NONE = 0;

    /** Add the time correction to every stamp (map to this machine's clock). */
    public static final int CLOCK_SYNC = 1;

    /** Smooth stamps of regular streams. */
    public static final int DEJITTER = 2;

    /** Force ascending stamps (only meaningful with dejitter). */
    public static final int MONOTONIZE = 4;

    /** Allow several threads to pull from one inlet. */
    public static final int THREADSAFE = 8;

    public static final int ALL = CLOCK_SYNC | DEJITTER | MONOTONIZE | THREADSAFE;

    private PostProcessing() {}

    static int validate(int flags) {
        if ((flags & ~ALL) != 0) {
            throw new IllegalArgumentException(
                    "postprocessing: unknown flag bits 0x" + Integer.toHexString(flags & ~ALL));
        }
        return flags;
    }
}
