package org.spikeloop.server.registry;

/**
 * A session's checkpoint roles (content ids; null when unset).
 *
 * @param active the weights driving the decoder
 * @param reference the latest accepted offline job result
 * @param lastGood where a rollback returns to
 */
public record SessionRoles(String active, String reference, String lastGood) {
    /** No roles set. */
    public static SessionRoles none() {
        return new SessionRoles(null, null, null);
    }

    /** The id holding {@code role}, or null. */
    public String get(Role role) {
        return switch (role) {
            case ACTIVE -> active;
            case REFERENCE -> reference;
            case LAST_GOOD -> lastGood;
        };
    }

    /** A copy with {@code role} set to {@code id}. */
    public SessionRoles with(Role role, String id) {
        return switch (role) {
            case ACTIVE -> new SessionRoles(id, reference, lastGood);
            case REFERENCE -> new SessionRoles(active, id, lastGood);
            case LAST_GOOD -> new SessionRoles(active, reference, id);
        };
    }

    /** Whether {@code id} holds any role. */
    public boolean holds(String id) {
        return id != null && (id.equals(active) || id.equals(reference) || id.equals(lastGood));
    }
}
