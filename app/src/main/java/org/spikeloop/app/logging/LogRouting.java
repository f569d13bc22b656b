package org.spikeloop.app.logging;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} into SLF4J. gRPC-Java and parts of Netty log through JUL, whose
 * default console handler formats every record (stack traces included) on the logging thread,
 * whatever {@code logback.xml} says: under a flood of refused streams gRPC's Netty handler logged a
 * "Stream Error" with its stack trace per stream — 11.5 MB of stderr in 30 s, and most of the
 * garbage the event loops made. Routed, those records obey Logback's levels and {@link
 * LinesPerLoggerLimit}; Logback's {@code LevelChangePropagator} (in {@code logback.xml}) copies the
 * levels back to JUL so that a disabled record is dropped before it is built.
 */
public final class LogRouting {
    private LogRouting() {}

    /** Replaces JUL's root handlers with the bridge to SLF4J. Idempotent. */
    public static void install() {
        // Logback first: its LevelChangePropagator resets JUL when it starts, which would remove a
        // bridge installed before it.
        LoggerFactory.getILoggerFactory();
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
