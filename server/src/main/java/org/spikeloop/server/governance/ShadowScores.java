package org.spikeloop.server.governance;

import java.time.Instant;

/**
 * The latest shadow evaluation of a session: live and reference decoders scored side by side on the
 * same recent labelled data (causal float32 decoding, as live).
 *
 * @param time when
 * @param frames labelled frames scored
 * @param liveMse live decoder's MSE (NaN when a guard fired)
 * @param liveR2 live decoder's R²
 * @param referenceId the reference checkpoint ("" if none)
 * @param referenceMse the reference's MSE (NaN if none)
 * @param referenceR2 the reference's R²
 * @param guard the guard that fired on the live weights, or ""
 */
public record ShadowScores(
        Instant time,
        int frames,
        double liveMse,
        double liveR2,
        String referenceId,
        double referenceMse,
        double referenceR2,
        String guard) {}
