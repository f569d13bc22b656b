package org.spikeloop.server.governance;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.server.jobs.XdfTrainingData;

/** The last {@code seconds} of labelled data of a session's newest recording. */
public final class XdfRecentData implements RecentData {
    private final Supplier<List<Path>> recordings;
    private final String inputsStream;
    private final String labelsStream;
    private final double seconds;
    private final int inputs;
    private final int outputs;

    public XdfRecentData(
            Supplier<List<Path>> recordings,
            String inputsStream,
            String labelsStream,
            double seconds,
            int inputs,
            int outputs) {
        this.recordings = recordings;
        this.inputsStream = inputsStream;
        this.labelsStream = labelsStream;
        this.seconds = seconds;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    @Override
    public LabelledSequence recent() {
        List<Path> files = recordings.get();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no recording yet");
        }
        Path newest = files.get(files.size() - 1);
        LabelledSequence all =
                XdfTrainingData.read(
                        List.of(newest),
                        inputsStream,
                        labelsStream,
                        Double.NaN,
                        Double.NaN,
                        inputs,
                        outputs);
        double from = all.lastS() - seconds;
        int start = 0;
        while (start < all.frames() && all.stampsS()[start] < from) {
            start++;
        }
        return all.slice(start, all.frames());
    }
}
