package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.LslLabelSpec;
import org.spikeloop.proto.v1.LslOutletSpec;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SnapshotRequest;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;

/**
 * The metrics endpoint of the real application, scraped over HTTP with sessions that have every
 * optional part (LSL source, outlet and labels; recording; a governance action; and, in a second
 * session, cue markers with a decision outlet): exactly the series docs/server.md lists, and none
 * of a session once it stopped.
 */
class MetricsTest {
    private static final int CHANNELS = 4;
    private static final int OUTPUTS = 2;

    @TempDir Path dir;

    /** One metric family as Prometheus shows it: type and label names. */
    record Family(String type, Set<String> labels) {}

    /** One row of docs/server.md's metric tables. */
    record Documented(String name, String type, Set<String> labels, String unit, String meaning) {}

    private InProcessFixture start() throws Exception {
        Properties p = new Properties();
        p.setProperty("metrics.port", "0");
        p.setProperty("lsl.outlets", "true"); // the session has every optional part
        return new InProcessFixture(dir, false, p);
    }

    /**
     * The spec both sessions share: {@value #CHANNELS} channels at 1 kHz from the LSL stream {@code
     * samples}, a seeded 16-hidden decoder with {@value #OUTPUTS} outputs.
     */
    private static SessionSpec.Builder lslSession(String name, String samples) {
        return SessionSpec.newBuilder()
                .setName(name)
                .setChannelCount(CHANNELS)
                .setSampleRateHz(1000)
                .setDecoder(
                        DecoderSpec.newBuilder()
                                .setArchitecture(
                                        Architecture.newBuilder()
                                                .setHidden(16)
                                                .setOutputs(OUTPUTS)
                                                .setSeed(5)))
                .setSource(
                        SourceSpec.newBuilder()
                                .setKind(SourceKind.SOURCE_LSL)
                                .setLslStreamName(samples));
    }

    private static String create(InProcessFixture f, SessionSpec.Builder spec) {
        return SessionServiceGrpc.newBlockingStub(f.channel)
                .createSession(CreateSessionRequest.newBuilder().setSpec(spec).build())
                .getId();
    }

    /** An LSL session with an outlet, LSL labels and (by default) a recording; returns its id. */
    private static String createFullSession(InProcessFixture f, String samples, String labels) {
        return create(
                f,
                lslSession("metrics", samples)
                        .setLslOutlet(LslOutletSpec.newBuilder().setName(samples + "-decoded"))
                        .setLslLabels(
                                LslLabelSpec.newBuilder()
                                        .setName(labels)
                                        .setKind(LabelKind.LABEL_KIND_CONTINUOUS)));
    }

    /**
     * An LSL session whose labels are cue markers, with a decision outlet (the trial and decision
     * meters exist only for such sessions); returns its id.
     */
    private static String createMarkerSession(InProcessFixture f, String samples, String markers) {
        return create(
                f,
                lslSession("metrics-trials", samples)
                        .setLslLabels(
                                LslLabelSpec.newBuilder()
                                        .setName(markers)
                                        .setKind(LabelKind.LABEL_KIND_MARKERS)
                                        .putCueClasses("left", 0)
                                        .putCueClasses("right", 1)
                                        .setTrialS(1.0))
                        .setLslDecisions(
                                LslOutletSpec.newBuilder().setName(markers + "-decisions")));
    }

    private static Outlet markerOutlet(String name) {
        return new Outlet(
                StreamInfo.builder(name, "Markers", 1, ChannelFormat.STRING)
                        .nominalSrateHz(0)
                        .sourceId(name + "-src")
                        .build());
    }

    private static Outlet outlet(String name, int channels) {
        return new Outlet(
                StreamInfo.builder(name, "Test", channels, ChannelFormat.FLOAT32)
                        .nominalSrateHz(1000)
                        .sourceId(name + "-src")
                        .build());
    }

    private static String scrape(InProcessFixture f) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + f.app.metricsPort()
                                                                + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void shouldServeExactlyTheMetricsDocsServerMdLists() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        try (InProcessFixture f = start();
                Outlet samples = outlet("metrics-samples-" + unique, CHANNELS);
                Outlet labels = outlet("metrics-labels-" + unique, OUTPUTS);
                Outlet trialSamples = outlet("metrics-trial-samples-" + unique, CHANNELS);
                Outlet markers = markerOutlet("metrics-markers-" + unique)) {
            String id =
                    createFullSession(f, "metrics-samples-" + unique, "metrics-labels-" + unique);
            createMarkerSession(f, "metrics-trial-samples-" + unique, "metrics-markers-" + unique);
            LearningServiceGrpc.newBlockingStub(f.channel)
                    .snapshotCheckpoint(SnapshotRequest.newBuilder().setSessionId(id).build());
            String text = awaitGcPause(f);

            Map<String, Family> served = families(text);
            Map<String, Documented> documented = documented();

            assertThat(without(served.keySet(), documented.keySet()))
                    .as("metrics served but not in docs/server.md")
                    .isEmpty();
            assertThat(without(documented.keySet(), served.keySet()))
                    .as("metrics in docs/server.md but not served")
                    .isEmpty();
            for (Documented d : documented.values()) {
                Family s = served.get(d.name());
                assertThat(d.type()).as(d.name() + ": type").isEqualTo(s.type());
                assertThat(d.labels()).as(d.name() + ": labels").isEqualTo(s.labels());
                assertThat(d.meaning()).as(d.name() + ": meaning").isNotBlank();
                if (!d.unit().equals("—")) {
                    assertThat(d.name().replaceFirst("_total$", ""))
                            .as(d.name() + ": unit in the name")
                            .endsWith("_" + d.unit());
                }
            }
        }
    }

    private static Set<String> without(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void shouldLeaveNoSeriesOfAStoppedSession() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        try (InProcessFixture f = start();
                Outlet samples = outlet("metrics-stop-" + unique, CHANNELS);
                Outlet labels = outlet("metrics-stop-labels-" + unique, OUTPUTS)) {
            String id =
                    createFullSession(f, "metrics-stop-" + unique, "metrics-stop-labels-" + unique);
            // Governance counts its actions in series registered at the first action.
            LearningServiceGrpc.newBlockingStub(f.channel)
                    .snapshotCheckpoint(SnapshotRequest.newBuilder().setSessionId(id).build());
            String tag = "session=\"" + id + "\"";
            assertThat(scrape(f))
                    .contains("spikeloop_governance_actions_total{action=\"snapshot\"," + tag)
                    .contains("spikeloop_lsl_outlet_frames_total{" + tag)
                    .contains("spikeloop_recording_dropped_total{" + tag)
                    .contains("spikeloop_sessions 1.0");

            SessionServiceGrpc.newBlockingStub(f.channel)
                    .stopSession(SessionId.newBuilder().setSessionId(id).build());

            assertThat(scrape(f)).doesNotContain(tag).contains("spikeloop_sessions 0.0");
        }
    }

    /**
     * Micrometer registers {@code jvm_gc_pause_seconds} at the first GC notification; a GC is asked
     * for and the scrape repeated until it shows (at most 10 s).
     */
    private static String awaitGcPause(InProcessFixture f) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            String text = scrape(f);
            if (text.contains("# TYPE jvm_gc_pause_seconds ")) {
                return text;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no jvm_gc_pause_seconds after System.gc()");
            }
            System.gc();
            Thread.sleep(50);
        }
    }

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    /** The families of a Prometheus text exposition (0.0.4): name, type, label names. */
    static Map<String, Family> families(String text) {
        Map<String, String> types = new TreeMap<>();
        Map<String, Set<String>> labels = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                types.put(t.group(1), t.group(2));
                labels.put(t.group(1), new TreeSet<>());
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            if (line.startsWith("#") || !s.find()) {
                continue;
            }
            String family = familyOf(s.group(1), types);
            Set<String> names = labels.get(family);
            if (s.group(3) != null) {
                Matcher l = LABEL.matcher(s.group(3));
                while (l.find()) {
                    if (!l.group(1).equals("le") && !l.group(1).equals("quantile")) {
                        names.add(l.group(1));
                    }
                }
            }
        }
        Map<String, Family> out = new TreeMap<>();
        types.forEach(
                (name, type) -> {
                    // A timer's maximum is a gauge family of its own, <name>_max: listed with it.
                    String timer = name.replaceFirst("_max$", "");
                    boolean max =
                            !timer.equals(name)
                                    && ("histogram".equals(types.get(timer))
                                            || "summary".equals(types.get(timer)));
                    if (!max) {
                        out.put(name, new Family(type, labels.get(name)));
                    }
                });
        return out;
    }

    /** The family a sample belongs to: its name, or its name without a histogram suffix. */
    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        throw new AssertionError("sample " + sample + " of no declared family");
    }

    /**
     * The rows of the tables under docs/server.md's "## Metrics" heading whose header is {@code |
     * name | type | labels | unit | meaning |}.
     */
    static Map<String, Documented> documented() throws Exception {
        List<String> lines = Files.readAllLines(RepositoryFiles.root().resolve("docs/server.md"));
        int start = lines.indexOf("## Metrics");
        assertThat(start).as("docs/server.md has a ## Metrics section").isNotNegative();
        Map<String, Documented> rows = new TreeMap<>();
        boolean inTable = false;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i);
            if (line.startsWith("| name | type | labels | unit | meaning |")) {
                inTable = true;
                i++; // the separator row
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : line.substring(1, line.length() - 1).split("\\|", -1)) {
                cells.add(c.trim());
            }
            assertThat(cells).as("docs/server.md metrics row: " + line).hasSize(5);
            String name = cells.get(0).replace("`", "");
            Set<String> labels = new TreeSet<>();
            if (!cells.get(2).equals("—")) {
                for (String l : cells.get(2).replace("`", "").split(",")) {
                    labels.add(l.trim());
                }
            }
            Documented d = new Documented(name, cells.get(1), labels, cells.get(3), cells.get(4));
            assertThat(rows.put(name, d)).as("listed twice: " + name).isNull();
        }
        assertThat(rows).as("metric rows in docs/server.md").isNotEmpty();
        return rows;
    }
}
