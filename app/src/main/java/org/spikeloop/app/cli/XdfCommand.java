package org.spikeloop.app.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.LslRecording;
import org.spikeloop.adapters.xdf.XdfFormatException;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfSamples;
import org.spikeloop.adapters.xdf.XdfStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spikeloop xdf dump|record}: inspect XDF files and record LSL streams to XDF. */
@Command(
        name = "xdf",
        mixinStandardHelpOptions = true,
        description = "Read and record XDF files.",
        subcommands = {XdfCommand.Dump.class, XdfCommand.Record.class})
public final class XdfCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * Reads {@code file} as XDF; a file that is not XDF is an {@link XdfFormatException} naming the
     * file (shared by {@code xdf dump} and {@code replay}, whose failure path prints it as one
     * line, exit 2).
     */
    static XdfRecording read(Path file, XdfReader.Options options) throws IOException {
        try {
            return XdfReader.read(file, options);
        } catch (XdfFormatException e) {
            throw new XdfFormatException(file + ": " + e.getMessage());
        }
    }

    /** Prints a file's content as one JSON object (values exact, as pyxdf returns them). */
    @Command(
            name = "dump",
            mixinStandardHelpOptions = true,
            description =
                    "Print an XDF file as JSON: headers, footers, stamps, values, clock offsets.")
    static final class Dump implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.xdf", description = "The file to print.")
        Path file;

        @Option(names = "--sync", description = "Synchronise clocks as pyxdf does by default.")
        boolean sync;

        @Option(
                names = "--dejitter",
                description = "Dejitter regular streams as pyxdf does by default.")
        boolean dejitter;

        @Option(names = "--summary", description = "Omit stamps and values.")
        boolean summary;

        @Override
        public Integer call() throws Exception {
            XdfRecording rec = XdfCommand.read(file, new XdfReader.Options(sync, sync, dejitter));
            PrintWriter out =
                    new PrintWriter(
                            new BufferedWriter(
                                    new OutputStreamWriter(System.out, StandardCharsets.UTF_8),
                                    1 << 16));
            out.print("{\"file\":" + LslJson.quote(file.toString()));
            out.print(",\"file_bytes\":" + rec.fileBytes());
            out.print(",\"truncated_at\":" + rec.truncatedAtOffset());
            out.print(",\"chunks\":" + rec.chunksRead());
            out.print(",\"boundaries\":" + rec.boundaryChunks());
            out.print(",\"problems\":[");
            for (int i = 0; i < rec.problems().size(); i++) {
                var p = rec.problems().get(i);
                out.print(
                        (i > 0 ? "," : "")
                                + "{\"offset\":"
                                + p.offset()
                                + ",\"reason\":"
                                + LslJson.quote(p.reason())
                                + "}");
            }
            out.print(
                    "],\"file_header\":"
                            + (rec.fileHeaderXml() == null
                                    ? "null"
                                    : LslJson.quote(rec.fileHeaderXml())));
            out.print(",\"streams\":[");
            boolean first = true;
            for (XdfStream s : rec.streams()) {
                out.print(first ? "" : ",");
                first = false;
                StreamInfo info = s.info();
                out.print("{\"id\":" + s.id());
                out.print(",\"name\":" + LslJson.quote(info.name()));
                out.print(",\"type\":" + LslJson.quote(info.type()));
                out.print(",\"channel_count\":" + info.channelCount());
                out.print(",\"nominal_srate\":" + info.nominalSrateHz());
                out.print(",\"channel_format\":" + LslJson.quote(info.format().xmlName()));
                out.print(",\"sample_count\":" + s.sampleCount());
                out.print(",\"header_xml\":" + LslJson.quote(s.headerXml()));
                out.print(
                        ",\"footer_xml\":"
                                + (s.footerXml() == null ? "null" : LslJson.quote(s.footerXml())));
                out.print(",\"clock_times\":" + doubles(s.clockTimes()));
                out.print(",\"clock_values\":" + doubles(s.clockValues()));
                if (!summary) {
                    out.print(",\"time_stamps\":" + doubles(s.timestamps()));
                    out.print(",\"time_series\":");
                    values(out, s.samples());
                }
                out.print("}");
            }
            out.println("]}");
            out.flush();
            return 0;
        }

        private static String doubles(double[] a) {
            StringBuilder sb = new StringBuilder(a.length * 20 + 2).append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(a[i]);
            }
            return sb.append(']').toString();
        }

        private static void values(PrintWriter out, XdfSamples v) {
            int n = v.sampleCount();
            int ch = v.channels();
            ChannelFormat f = v.format();
            out.print('[');
            for (int s = 0; s < n; s++) {
                out.print(s > 0 ? ",[" : "[");
                for (int c = 0; c < ch; c++) {
                    if (c > 0) {
                        out.print(',');
                    }
                    switch (f) {
                        case STRING -> out.print(LslJson.quote(v.stringValue(s, c)));
                        case FLOAT32, DOUBLE64 -> out.print(v.doubleValue(s, c));
                        default -> out.print(v.longValue(s, c));
                    }
                }
                out.print(']');
            }
            out.print(']');
        }
    }

    /** Records LSL streams into an XDF file until the time is up or the process is stopped. */
    @Command(
            name = "record",
            mixinStandardHelpOptions = true,
            description = "Record LSL streams (resolved by name or type) into an XDF file.")
    static final class Record implements Callable<Integer> {
        @Option(
                names = "--out",
                required = true,
                paramLabel = "FILE.xdf",
                description = "XDF file to write.")
        Path out;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "Name of a stream to record (repeatable).")
        List<String> names = new ArrayList<>();

        @Option(
                names = "--type",
                paramLabel = "TYPE",
                description = "Type of a stream to record (repeatable).")
        List<String> types = new ArrayList<>();

        @Mixin RunDuration duration;

        @Option(
                names = "--sync-ms",
                paramLabel = "MS",
                defaultValue = "1000",
                description = "Flush and fsync period, ms. Default: ${DEFAULT-VALUE}.")
        long syncMs;

        @Option(
                names = "--resolve-timeout-s",
                paramLabel = "S",
                defaultValue = "10",
                description =
                        "Seconds to wait for each stream to be found. Default: ${DEFAULT-VALUE}.")
        double resolveTimeoutS;

        @Override
        public Integer call() throws Exception {
            double seconds = duration.seconds();
            if (syncMs < 1) {
                throw new IllegalArgumentException("--sync-ms: must be >= 1, got " + syncMs);
            }
            List<StreamInfo> streams = new ArrayList<>();
            for (String n : names) {
                streams.add(one("name", n));
            }
            for (String t : types) {
                streams.add(one("type", t));
            }
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("give at least one --name or --type");
            }
            LslRecording recording =
                    new LslRecording(
                            out,
                            streams,
                            XdfRecorder.Config.defaults().withSyncPeriodNs(syncMs * 1_000_000L),
                            resolveTimeoutS);
            // SIGTERM and Ctrl-C are the usual way to end an open-ended recording: the hook closes
            // the file (footers, final fsync) and, when that succeeded, ends the process with 0 and
            // the same summary as a timed run instead of the JVM's 143/130. Halting skips the
            // other hooks, which is safe: nothing else of this command holds a resource.
            Thread hook =
                    new Thread(
                            () -> {
                                int code = 0;
                                try {
                                    recording.close();
                                    printSummary(recording);
                                } catch (Exception e) {
                                    System.err.println(
                                            "spikeloop xdf record: closing "
                                                    + out
                                                    + ": "
                                                    + e.getMessage());
                                    code = 1;
                                }
                                System.out.flush();
                                System.err.flush();
                                Runtime.getRuntime().halt(code);
                            },
                            "xdf-record-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.err.println("recording " + streams.size() + " stream(s) to " + out);
            if (seconds > 0) {
                Thread.sleep((long) (seconds * 1000));
                Runtime.getRuntime().removeShutdownHook(hook);
                recording.close();
                printSummary(recording);
                return 0;
            }
            new CountDownLatch(1).await(); // until a signal runs the hook
            return 0;
        }

        private static void printSummary(LslRecording recording) {
            System.out.println(
                    "{\"samples_recorded\":"
                            + recording.samplesRecorded()
                            + ",\"dropped_chunks\":"
                            + recording.droppedChunks()
                            + "}");
        }

        private StreamInfo one(String prop, String value) throws TimeoutException {
            List<StreamInfo> found = Resolver.byProperty(prop, value, 1, resolveTimeoutS);
            if (found.isEmpty()) {
                throw new TimeoutException(
                        "no LSL stream with "
                                + prop
                                + "='"
                                + value
                                + "' within "
                                + resolveTimeoutS
                                + " s");
            }
            return found.get(0);
        }
    }
}
