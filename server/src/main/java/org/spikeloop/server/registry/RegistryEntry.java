package org.spikeloop.server.registry;

import java.time.Instant;

/**
 * One checkpoint listed in the registry index.
 *
 * @param id the checkpoint's content id (SHA-256 of its payload)
 * @param file path of the file relative to the registry directory
 * @param bytes file length
 * @param registeredAt when it was registered
 * @param lineage session, kind, parent, job, data range, creator
 */
public record RegistryEntry(
        String id, String file, long bytes, Instant registeredAt, Lineage lineage) {}
