package org.spikeloop.server.session;

/** A snapshot written to the checkpoint directory. */
public record CheckpointInfo(String name, String contentId, long step) {}
