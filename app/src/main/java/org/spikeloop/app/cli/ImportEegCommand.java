package org.spikeloop.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikeloop.adapters.eegfile.EegFileException;
import org.spikeloop.adapters.eegfile.EegFileFormat;
import org.spikeloop.adapters.eegfile.EegFileReader;
import org.spikeloop.adapters.eegfile.EegRecording;
import org.spikeloop.adapters.eegfile.EegXdfExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeloop import eeg FILE.gdf|.edf|.bdf --out FILE.xdf}: reads the recording through MNE
 * ({@link EegFileReader}) and writes an XDF with one float32 EEG stream in microvolts and one
 * string marker stream ({@link EegXdfExport}). The reader's notes (unit corrections, stim channels,
 * channels in other units) go to stderr; a one-line JSON summary to stdout. A file that cannot be
 * read, a missing file, an unknown extension or an existing {@code --out} (without {@code --force})
 * end in one line and exit code 2 with nothing written.
 */
@Command(
        name = "eeg",
        mixinStandardHelpOptions = true,
        description =
                "Convert a GDF, EDF or BDF recording to XDF: an EEG stream in microvolts and a"
                        + " marker stream of its events.")
public final class ImportEegCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the recording (.gdf, .edf or .bdf)")
    Path file;

    @Option(names = "--out", required = true, description = "the XDF file to write")
    Path out;

    @Option(
            names = "--name",
            description =
                    "stream name (default: the file's name without extension); the marker"
                            + " stream is NAME-markers")
    String name;

    @Option(names = "--force", description = "replace an existing --out")
    boolean force;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!force && Files.exists(out)) {
                throw new EegFileException(out + " exists (--force replaces it); nothing written");
            }
            Path dir = out.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new EegFileException("--out: no such directory: " + dir);
            }
            String stream = name != null ? name : EegFileFormat.stem(file);
            if (stream.isBlank()) {
                throw new EegFileException("--name: must not be blank");
            }
            try (EegRecording rec = EegFileReader.forThisProcess().read(file)) {
                EegXdfExport.Summary s = EegXdfExport.write(rec, stream, out, force);
                for (String note : rec.notes()) {
                    err.println("import: note: " + note);
                }
                o.println(
                        String.format(
                                Locale.ROOT,
                                "{\"out\":%s,\"format\":%s,\"signal_stream\":%s,"
                                        + "\"marker_stream\":%s,\"channels\":%d,\"rate_hz\":%s,"
                                        + "\"samples\":%d,\"markers\":%d}",
                                LslJson.quote(out.toString()),
                                LslJson.quote(rec.format()),
                                LslJson.quote(s.signalStream()),
                                LslJson.quote(s.markerStream()),
                                s.channels(),
                                rec.rateHz(),
                                s.samples(),
                                s.markers()));
            }
            o.flush();
            err.flush();
            return 0;
        } catch (EegFileException e) {
            // a file MNE or the checks refuse: one line and exit 2 through the CLI's failure
            // handler
            throw new IllegalArgumentException(e.getMessage().replace('\n', ' '), e);
        }
    }
}
