/**
 * The checkpoint registry: a directory, shareable between processes, listing checkpoints by content
 * id with their lineage ({@link org.spikeloop.server.registry.Lineage}) and each session's roles
 * (active, reference, last-good; {@link org.spikeloop.server.registry.SessionRoles}), with
 * retention that never deletes a checkpoint holding a role. Writes are crash-consistent (a file
 * before the index that lists it, both replaced atomically).
 *
 * <p>Threads: any thread; every change and load holds {@link
 * org.spikeloop.server.registry.RegistryLock} (an in-process lock, then a file lock, so a
 * standalone {@code spikeloop train} process and the server share the directory safely). Control
 * plane only: file I/O, blocking, allocation; never an engine thread.
 *
 * <p>May import: nothing of the server (layer 0); {@code snn.checkpoint}, {@code snn.spec} and
 * Gson. Imported by {@code jobs}, {@code metrics}, {@code session}, {@code governance}, {@code
 * grpc} and the application.
 */
package org.spikeloop.server.registry;
