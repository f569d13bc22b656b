package org.spikeloop.server.registry;

/**
 * Which checkpoints retention keeps: the {@code keepPerSession} newest of each session (entries
 * without a session form one group), plus every checkpoint holding a role (active, reference,
 * last-good) in any session, whatever its age.
 *
 * @param keepPerSession newest checkpoints kept per session, &ge; 1
 */
public record RetentionPolicy(int keepPerSession) {
    public RetentionPolicy {
        if (keepPerSession < 1) {
            throw new IllegalArgumentException(
                    "retention.keepPerSession must be >= 1, got " + keepPerSession);
        }
    }
}
