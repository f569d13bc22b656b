/**
 * Every setting of the server in one place: {@link org.spikeloop.server.config.ServerConfig}, read
 * from a Java properties file with command-line overrides, its defaults listed next to it and
 * validated once at start-up; a bad value is a {@link org.spikeloop.server.config.ConfigException}
 * naming the key.
 *
 * <p>Threads: none. A config is an immutable record, shared by every thread after start-up.
 *
 * <p>May import: nothing of the server (layer 0). Imported by {@code security}, {@code session} and
 * the application.
 */
package org.spikeloop.server.config;
