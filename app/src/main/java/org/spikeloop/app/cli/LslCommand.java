package org.spikeloop.app.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop lsl list|pull|push}: LSL tools for checking a lab set-up and for interop tests.
 */
@Command(
        name = "lsl",
        mixinStandardHelpOptions = true,
        description = "Lab Streaming Layer tools: list streams, pull from one, publish one.",
        subcommands = {LslCommand.ListStreams.class, LslCommand.Pull.class, LslCommand.Push.class})
public final class LslCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Prints the visible streams, one JSON object per line. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List visible LSL streams.")
    static final class ListStreams implements Callable<Integer> {
        @Option(
                names = "--wait-s",
                paramLabel = "S",
                defaultValue = "1.0",
                description =
                        "Seconds to listen for stream announcements (always this long). Default:"
                                + " ${DEFAULT-VALUE}.")
        double waitS;

        @Override
        public Integer call() {
            System.err.println(
                    "liblsl " + Lsl.libraryVersion() + " from " + Lsl.load().description());
            for (StreamInfo s : Resolver.all(waitS)) {
                System.out.println(infoJson(s));
            }
            return 0;
        }
    }

    static String infoJson(StreamInfo s) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"name\":").append(LslJson.quote(s.name()));
        sb.append(",\"type\":").append(LslJson.quote(s.type()));
        sb.append(",\"channel_count\":").append(s.channelCount());
        sb.append(",\"nominal_srate\":").append(s.nominalSrateHz());
        sb.append(",\"channel_format\":").append(LslJson.quote(s.format().xmlName()));
        sb.append(",\"source_id\":").append(LslJson.quote(s.sourceId()));
        sb.append(",\"uid\":").append(LslJson.quote(s.uid()));
        sb.append(",\"labels\":[");
        for (int i = 0; i < s.channelLabels().size(); i++) {
            sb.append(i > 0 ? "," : "").append(LslJson.quote(s.channelLabels().get(i)));
        }
        return sb.append("]}").toString();
    }

    /** Pulls a number of samples from one stream and prints them as JSON. */
    @Command(
            name = "pull",
            mixinStandardHelpOptions = true,
            description = "Pull samples from a stream (by name) and print them as JSON.")
    static final class Pull implements Callable<Integer> {
        @Option(
                names = "--name",
                required = true,
                paramLabel = "NAME",
                description = "Name of the stream to pull from.")
        String name;

        @Option(
                names = "--samples",
                required = true,
                paramLabel = "N",
                description = "Samples to pull.")
        int samples;

        @Option(
                names = "--timeout-s",
                paramLabel = "S",
                defaultValue = "30",
                description =
                        "Deadline for finding the stream and for the samples, seconds. Default:"
                                + " ${DEFAULT-VALUE}.")
        double timeoutS;

        @Override
        public Integer call() throws TimeoutException {
            if (samples < 1) {
                throw new IllegalArgumentException("--samples: must be >= 1, got " + samples);
            }
            List<StreamInfo> found = Resolver.byProperty("name", name, 1, timeoutS);
            if (found.isEmpty()) {
                throw new TimeoutException(
                        "no LSL stream named '" + name + "' within " + timeoutS + " s");
            }
            try (Inlet inlet = new Inlet(found.get(0), InletConfig.defaults())) {
                StreamInfo full = inlet.fullInfo(timeoutS);
                inlet.open(timeoutS);
                System.err.println("ready");
                int ch = full.channelCount();
                Object all = newArray(full.format(), samples * ch);
                double[] stamps = new double[samples];
                Object buf = newArray(full.format(), samples * ch);
                double[] ts = new double[samples];
                int have = 0;
                long deadline = System.nanoTime() + (long) (timeoutS * 1e9);
                while (have < samples && System.nanoTime() < deadline) {
                    int n = pull(inlet, full.format(), buf, ts, 0.2);
                    int take = Math.min(n, samples - have);
                    System.arraycopy(buf, 0, all, have * ch, take * ch);
                    System.arraycopy(ts, 0, stamps, have, take);
                    have += take;
                }
                StringBuilder sb = new StringBuilder("{\"info\":").append(infoJson(full));
                sb.append(",\"time_correction\":").append(inlet.timeCorrectionS(timeoutS));
                sb.append(",\"time_stamps\":[");
                for (int i = 0; i < have; i++) {
                    sb.append(i > 0 ? "," : "").append(stamps[i]);
                }
                sb.append("],\"time_series\":[");
                for (int s = 0; s < have; s++) {
                    sb.append(s > 0 ? ",[" : "[");
                    for (int c = 0; c < ch; c++) {
                        sb.append(c > 0 ? "," : "");
                        Object v = java.lang.reflect.Array.get(all, s * ch + c);
                        sb.append(
                                v instanceof String str
                                        ? LslJson.quote(str)
                                        : v instanceof Float f ? Double.toString(f) : v.toString());
                    }
                    sb.append(']');
                }
                System.out.println(sb.append("]}"));
                if (have < samples) {
                    throw new TimeoutException(
                            "got "
                                    + have
                                    + " of "
                                    + samples
                                    + " samples within "
                                    + timeoutS
                                    + " s");
                }
                return 0;
            }
        }
    }

    static Object newArray(ChannelFormat f, int n) {
        return switch (f) {
            case FLOAT32 -> new float[n];
            case DOUBLE64 -> new double[n];
            case INT8 -> new byte[n];
            case INT16 -> new short[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            case STRING -> new String[n];
        };
    }

    static int pull(Inlet in, ChannelFormat f, Object buf, double[] ts, double timeoutS) {
        return switch (f) {
            case FLOAT32 -> in.pullChunk((float[]) buf, ts, timeoutS);
            case DOUBLE64 -> in.pullChunk((double[]) buf, ts, timeoutS);
            case INT8 -> in.pullChunk((byte[]) buf, ts, timeoutS);
            case INT16 -> in.pullChunk((short[]) buf, ts, timeoutS);
            case INT32 -> in.pullChunk((int[]) buf, ts, timeoutS);
            case INT64 -> in.pullChunk((long[]) buf, ts, timeoutS);
            case STRING -> in.pullChunk((String[]) buf, ts, timeoutS);
        };
    }

    static void push(Outlet out, ChannelFormat f, Object buf, double[] ts, int n) {
        switch (f) {
            case FLOAT32 -> out.pushChunk((float[]) buf, ts, n);
            case DOUBLE64 -> out.pushChunk((double[]) buf, ts, n);
            case INT8 -> out.pushChunk((byte[]) buf, ts, n);
            case INT16 -> out.pushChunk((short[]) buf, ts, n);
            case INT32 -> out.pushChunk((int[]) buf, ts, n);
            case INT64 -> out.pushChunk((long[]) buf, ts, n);
            case STRING -> out.pushChunk((String[]) buf, ts, n);
        }
    }

    /** Publishes samples read from a JSON file once a consumer connects. */
    @Command(
            name = "push",
            mixinStandardHelpOptions = true,
            description =
                    "Publish a stream whose samples come from a JSON file {time_stamps, time_series}.")
    static final class Push implements Callable<Integer> {
        @Option(
                names = "--name",
                required = true,
                paramLabel = "NAME",
                description = "Name of the stream to publish.")
        String name;

        @Option(
                names = "--type",
                paramLabel = "TYPE",
                defaultValue = "Test",
                description = "Stream type. Default: ${DEFAULT-VALUE}.")
        String type;

        @Option(
                names = "--format",
                required = true,
                paramLabel = "FORMAT",
                description = "Channel format: float32|double64|int8|int16|int32|int64|string.")
        String format;

        @Option(
                names = "--channels",
                required = true,
                paramLabel = "N",
                description = "Channels per sample.")
        int channels;

        @Option(
                names = "--rate-hz",
                paramLabel = "HZ",
                defaultValue = "0",
                description = "Nominal sample rate; 0 = irregular. Default: ${DEFAULT-VALUE}.")
        double rateHz;

        @Option(
                names = "--source-id",
                paramLabel = "ID",
                defaultValue = "",
                description = "Source id. Default: none.")
        String sourceId;

        @Option(
                names = "--channel-labels",
                paramLabel = "LABEL",
                split = ",",
                description = "Channel labels, comma-separated. Default: none.")
        List<String> labels = new ArrayList<>();

        @Option(
                names = "--data",
                required = true,
                paramLabel = "FILE.json",
                description =
                        "Samples to publish: {\"time_stamps\": [...], \"time_series\": [...]}.")
        Path input;

        @Option(
                names = "--chunk-samples",
                paramLabel = "N",
                defaultValue = "10",
                description = "Samples per push. Default: ${DEFAULT-VALUE}.")
        int chunk;

        @Option(
                names = "--wait-consumers-s",
                paramLabel = "S",
                defaultValue = "30",
                description =
                        "Seconds to wait for a consumer before pushing. Default: ${DEFAULT-VALUE}.")
        double waitConsumersS;

        @Option(
                names = "--linger-s",
                paramLabel = "S",
                defaultValue = "2",
                description =
                        "After the last push, keep the outlet while consumers remain, at most this"
                                + " long. Default: ${DEFAULT-VALUE}.")
        double lingerS;

        @Override
        public Integer call() throws Exception {
            if (channels < 1 || chunk < 1 || !(rateHz >= 0) || Double.isInfinite(rateHz)) {
                throw new IllegalArgumentException(
                        "need --channels >= 1, --chunk-samples >= 1 and a finite --rate-hz >= 0");
            }
            ChannelFormat f = ChannelFormat.fromXmlName(format);
            Samples samples;
            try {
                samples =
                        samples(f, LslJson.parse(Files.readString(input, StandardCharsets.UTF_8)));
            } catch (ClassCastException e) {
                throw new IllegalArgumentException(
                        input
                                + ": not {\"time_stamps\": [numbers], \"time_series\": [[values]]}"
                                + " with "
                                + format
                                + " values",
                        e);
            }
            Object data = samples.values();
            double[] stamps = samples.stamps();
            int n = stamps.length;
            StreamInfo info =
                    StreamInfo.builder(name, type, channels, f)
                            .nominalSrateHz(rateHz)
                            .sourceId(sourceId)
                            .channelLabels(labels)
                            .build();
            try (Outlet outlet = new Outlet(info)) {
                System.err.println("waiting for a consumer of '" + name + "'");
                if (!outlet.waitForConsumers(waitConsumersS)) {
                    throw new TimeoutException(
                            "no consumer of '" + name + "' within " + waitConsumersS + " s");
                }
                Object buf = newArray(f, chunk * channels);
                double[] ts = new double[chunk];
                for (int s = 0; s < n; s += chunk) {
                    int k = Math.min(chunk, n - s);
                    System.arraycopy(data, s * channels, buf, 0, k * channels);
                    System.arraycopy(stamps, s, ts, 0, k);
                    push(outlet, f, buf, ts, k);
                }
                // keep the outlet until its consumers leave (bounded by --linger-s)
                long until = System.nanoTime() + (long) (lingerS * 1e9);
                while (outlet.haveConsumers() && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
            }
            System.out.println("{\"samples_pushed\":" + n + "}");
            return 0;
        }

        private record Samples(double[] stamps, Object values) {}

        /** The samples of the input file's JSON; a wrong shape throws ClassCastException. */
        @SuppressWarnings("unchecked")
        private Samples samples(ChannelFormat f, Object json) {
            Map<String, Object> doc = (Map<String, Object>) json;
            List<Object> stampsIn = (List<Object>) doc.get("time_stamps");
            List<Object> rows = (List<Object>) doc.get("time_series");
            if (stampsIn == null || rows == null || stampsIn.size() != rows.size()) {
                throw new IllegalArgumentException(
                        input + ": need time_stamps and time_series of the same length");
            }
            int n = rows.size();
            Object data = newArray(f, n * channels);
            double[] stamps = new double[n];
            for (int s = 0; s < n; s++) {
                stamps[s] = ((LslJson.Num) stampsIn.get(s)).asDouble();
                List<Object> row = (List<Object>) rows.get(s);
                if (row.size() != channels) {
                    throw new IllegalArgumentException(
                            input
                                    + ": sample "
                                    + s
                                    + " has "
                                    + row.size()
                                    + " values, --channels is "
                                    + channels);
                }
                for (int c = 0; c < channels; c++) {
                    Object v = row.get(c);
                    int i = s * channels + c;
                    switch (f) {
                        case FLOAT32 -> ((float[]) data)[i] = (float) ((LslJson.Num) v).asDouble();
                        case DOUBLE64 -> ((double[]) data)[i] = ((LslJson.Num) v).asDouble();
                        case INT8 -> ((byte[]) data)[i] = (byte) ((LslJson.Num) v).asLong();
                        case INT16 -> ((short[]) data)[i] = (short) ((LslJson.Num) v).asLong();
                        case INT32 -> ((int[]) data)[i] = (int) ((LslJson.Num) v).asLong();
                        case INT64 -> ((long[]) data)[i] = ((LslJson.Num) v).asLong();
                        case STRING -> ((String[]) data)[i] = (String) v;
                    }
                }
            }
            return new Samples(stamps, data);
        }
    }
}
