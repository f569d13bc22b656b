package org.spikeloop.server.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;

/**
 * A {@link RecordingSource} over given XDF files: the labelled sample count is the labels stream's
 * sample count summed over the files, read from the files at each call (control plane, a few times
 * a minute).
 */
public final class XdfRecordingSource implements RecordingSource {
    private final List<Path> files;
    private final String labelsStream;

    public XdfRecordingSource(List<Path> files, String labelsStream) {
        this.files = List.copyOf(files);
        this.labelsStream = labelsStream;
    }

    @Override
    public List<Path> recordings() {
        return files;
    }

    @Override
    public long labelledSamples() {
        long n = 0;
        for (Path f : files) {
            try {
                XdfRecording r = XdfReader.read(f);
                for (XdfStream s : r.streams()) {
                    if (s.info().name().equals(labelsStream)) {
                        n += s.sampleCount();
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("recording " + f + ": cannot be read", e);
            }
        }
        return n;
    }
}
