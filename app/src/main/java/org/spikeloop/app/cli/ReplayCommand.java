package org.spikeloop.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.spikeloop.adapters.eegfile.EegFileException;
import org.spikeloop.adapters.eegfile.EegFileFormat;
import org.spikeloop.adapters.eegfile.EegFileReader;
import org.spikeloop.adapters.eegfile.EegRecording;
import org.spikeloop.adapters.eegfile.EegXdfExport;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeloop replay FILE.xdf}: publishes every stream of a recording as an LSL outlet (same
 * name, type, format, channels, rate, source_id and labels) at the original pace times {@code
 * --speed}, with stamps moved to the current LSL clock, so a session can be decoded again as if
 * live.
 *
 * <p>A GDF, EDF or BDF file is first imported exactly as {@code spikeloop import eeg} does, into a
 * temporary XDF that is deleted afterwards: its EEG stream (named after the file, in microvolts)
 * and its marker stream ({@code NAME-markers}) are then replayed like any recording, both stamped
 * on the same clock. A file that cannot be read ends in one line and exit code 2.
 *
 * <p>{@code --only}, {@code --rename} and {@code --prefix} choose the streams and their published
 * names ({@link ReplaySelection}). A file that is not XDF (nor GDF, EDF or BDF), or holds no sample
 * to replay, is one line on stderr and exit 2.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Publish the streams of an XDF recording (or a GDF, EDF or BDF file and its"
                        + " events) over LSL at their original pace.")
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "The recording to publish: XDF, GDF, EDF or BDF.")
    Path file;

    @Option(
            names = "--speed",
            paramLabel = "X",
            defaultValue = "1.0",
            description = "Pace multiplier (2 = twice as fast). Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(
            names = "--wait-consumers-s",
            paramLabel = "S",
            defaultValue = "0",
            description =
                    "Seconds to wait for a consumer of every stream before publishing. Default:"
                            + " ${DEFAULT-VALUE}.")
    double waitConsumersS;

    @Option(
            names = "--original-timestamps",
            description = "Push the recorded stamps unchanged (not moved to the current clock).")
    boolean originalTimestamps;

    @Option(
            names = "--only",
            paramLabel = "NAME",
            description = "Replay only this stream (repeatable). Default: every stream.")
    List<String> only = new ArrayList<>();

    @Option(
            names = "--rename",
            paramLabel = "OLD=NEW",
            description = "Publish stream OLD under the name NEW (repeatable).")
    List<String> renames = new ArrayList<>();

    @Option(
            names = "--prefix",
            paramLabel = "P",
            defaultValue = "",
            description = "Put P before every published stream name (after --rename).")
    String prefix;

    private static final int MAX_CHUNK = 4096;

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("--speed: must be > 0, got " + speed);
        }
        ReplaySelection selection = new ReplaySelection(only, renames, prefix);
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        if (EegFileFormat.of(file).isEmpty()) {
            return replay(file, selection);
        }
        Path xdf = Files.createTempFile("spikeloop-replay-", ".xdf");
        try {
            try (EegRecording rec = EegFileReader.forThisProcess().read(file)) {
                EegXdfExport.write(rec, EegFileFormat.stem(file), xdf, true);
            } catch (EegFileException e) {
                throw new IllegalArgumentException(e.getMessage().replace('\n', ' '), e);
            }
            return replay(xdf, selection);
        } finally {
            Files.deleteIfExists(xdf);
        }
    }

    private int replay(Path xdf, ReplaySelection selection) throws Exception {
        XdfRecording rec = XdfCommand.read(xdf, XdfReader.Options.raw());
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (XdfStream s : rec.streams()) {
            names.add(s.info().name());
            ids.add(s.info().sourceId());
        }
        List<ReplaySelection.Published> published = selection.select(names, ids);
        List<XdfStream> streams = new ArrayList<>();
        List<Outlet> outlets = new ArrayList<>();
        double t0 = Double.POSITIVE_INFINITY;
        for (int j = 0; j < rec.streams().size(); j++) {
            XdfStream s = rec.streams().get(j);
            if (s.sampleCount() > 0 && published.get(j) != null) {
                streams.add(s);
                t0 = Math.min(t0, s.timestamps()[0]);
            }
        }
        if (streams.isEmpty()) {
            // An empty or header-only file (or a selection of empty streams) has nothing to pace:
            // exiting 0 would tell a script that a session was replayed.
            throw new IllegalArgumentException(
                    file
                            + ": no samples to replay ("
                            + rec.streams().size()
                            + " stream(s), "
                            + rec.fileBytes()
                            + " bytes)");
        }
        if (rec.truncated()) {
            System.err.println(
                    "replay: file cut at byte "
                            + rec.truncatedAtOffset()
                            + "; replaying the complete chunks");
        }
        for (XdfStream s : streams) {
            ReplaySelection.Published as = published.get(rec.streams().indexOf(s));
            StreamInfo i = s.info();
            StreamInfo out =
                    StreamInfo.builder(as.name(), i.type(), i.channelCount(), i.format())
                            .nominalSrateHz(i.nominalSrateHz())
                            .sourceId(as.sourceId())
                            .channelLabels(i.channelLabels())
                            .build();
            outlets.add(new Outlet(out));
        }
        try {
            if (waitConsumersS > 0) {
                for (Outlet o : outlets) {
                    o.waitForConsumers(waitConsumersS);
                }
            }
            int k = streams.size();
            int[] next = new int[k];
            double[][] stamps = new double[k][];
            Object[] values = new Object[k];
            Object[] buf = new Object[k];
            for (int j = 0; j < k; j++) {
                stamps[j] = streams.get(j).timestamps();
                values[j] = streams.get(j).samples().toArray();
                buf[j] =
                        LslCommand.newArray(
                                streams.get(j).info().format(),
                                MAX_CHUNK * streams.get(j).info().channelCount());
            }
            double[] ts = new double[MAX_CHUNK];
            double start = Lsl.localClockS();
            long pushed = 0;
            boolean remaining = true;
            while (remaining) {
                remaining = false;
                double elapsed = (Lsl.localClockS() - start) * speed;
                for (int j = 0; j < k; j++) {
                    int ch = streams.get(j).info().channelCount();
                    int from = next[j];
                    int to = from;
                    while (to < stamps[j].length
                            && to - from < MAX_CHUNK
                            && stamps[j][to] - t0 <= elapsed) {
                        to++;
                    }
                    int n = to - from;
                    if (n > 0) {
                        System.arraycopy(values[j], from * ch, buf[j], 0, n * ch);
                        for (int i = 0; i < n; i++) {
                            double t = stamps[j][from + i];
                            ts[i] = originalTimestamps ? t : start + (t - t0) / speed;
                        }
                        LslCommand.push(
                                outlets.get(j), streams.get(j).info().format(), buf[j], ts, n);
                        next[j] = to;
                        pushed += n;
                    }
                    remaining |= next[j] < stamps[j].length;
                }
                if (remaining) {
                    Thread.sleep(1);
                }
            }
            Thread.sleep(500); // let consumers drain before the outlets disappear
            System.out.println("{\"samples_pushed\":" + pushed + ",\"streams\":" + k + "}");
            return 0;
        } finally {
            outlets.forEach(Outlet::close);
        }
    }
}
