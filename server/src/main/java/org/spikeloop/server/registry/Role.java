package org.spikeloop.server.registry;

/**
 * What a checkpoint is to a session. Retention never deletes a checkpoint that holds any role in
 * any session.
 */
public enum Role {
    /** The weights driving the decoder now (evolving under e-prop; snapshotted periodically). */
    ACTIVE,
    /** The latest accepted offline (SG-BPTT) job result. */
    REFERENCE,
    /** The last checkpoint known to decode well: where an automatic rollback returns to. */
    LAST_GOOD;

    /** The JSON / API name: {@code active}, {@code reference}, {@code lastGood}. */
    public String key() {
        return switch (this) {
            case ACTIVE -> "active";
            case REFERENCE -> "reference";
            case LAST_GOOD -> "lastGood";
        };
    }

    /** Parses {@link #key()} or the enum name. @throws IllegalArgumentException naming the value */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.key().equals(s) || r.name().equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "role '" + s + "' is unknown; known: active, reference, lastGood");
    }
}
