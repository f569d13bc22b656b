package org.spikeloop.server.security;

/**
 * Who made a call: the token's name (never the token itself) and role.
 *
 * @param name the name given to the token in the tokens file, or "anonymous" without authentication
 */
public record Principal(String name, Role role) {
    /** The caller when authentication is off (loopback demo). */
    public static final Principal ANONYMOUS = new Principal("anonymous", Role.OPERATOR);
}
