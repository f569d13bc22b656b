package org.spikeloop.server.config;

/** A configuration value is missing, malformed or unsafe; the message names the key. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
