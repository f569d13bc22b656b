package org.spikeloop.server.jobs;

import java.nio.file.Path;
import java.util.List;

/**
 * A session's recordings as periodic jobs see them: the XDF files so far (oldest first) and how
 * many labelled samples they hold. A session recorder implements it; sessions of the issue-6 server
 * do not record yet, so tests implement it over files they write.
 */
public interface RecordingSource {
    /** Recording files, oldest first (complete files, or a live file's complete chunks). */
    List<Path> recordings();

    /** Labelled samples recorded so far (monotonic). */
    long labelledSamples();
}
