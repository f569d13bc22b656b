package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.JobEvent;
import org.spikeloop.proto.v1.JobId;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.JobState;
import org.spikeloop.proto.v1.LearningSettings;
import org.spikeloop.proto.v1.ListJobsRequest;
import org.spikeloop.proto.v1.LiveEdgeSpec;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionStatistics;
import org.spikeloop.proto.v1.SubmitJobRequest;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.proto.v1.WatchDecisionsRequest;
import org.spikeloop.server.jobs.MotorImageryRecordings;

/**
 * Issue 21, spike-count classification through the public API: a job (JobService) trains the
 * shipped spike-count config on a raw motor-imagery recording; a session started from its
 * checkpoint ({@code decoder.registry_id}, the shipped motor-imagery session spec with learning
 * off) decodes the same samples and cue markers streamed over LSL, and {@code WatchDecisions} gives
 * every held-out trial the job's decision and probabilities (softmax of the window's output spike
 * counts). The same session with learning on is refused: e-prop cannot learn a spike-count readout.
 *
 * <p>The session decodes every sample (a replay faster than real time: {@code
 * live_edge.decode_everything}), and none may be lost or skipped. The recording's markers are
 * stamped half a sample after their sample, so that no window boundary coincides with a sample's
 * stamp and the inlets' clock offset (microseconds on one host) cannot move a frame across it.
 */
class SpikeCountSessionDecisionsTest {
    private static final int TRIALS = 24;
    private static final double RATE_HZ = 256;
    private static final double SPEED = 20;
    private static final double MARKER_LEAD_S = 4.0;

    @TempDir Path dir;

    @Test
    void shouldDecideEveryHeldOutTrialAsTheJobDidAndRefuseEprop() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            Path recordings = f.app.config().recordingsDir();
            Files.createDirectories(recordings);
            Path file = recordings.resolve("mi.xdf");
            double t0 = Lsl.localClockS() - TRIALS * 10.0 - 60; // every stamp in the past
            MotorImageryRecordings.write(
                    file,
                    MotorImageryRecordings.config(2).build(),
                    TRIALS,
                    t0,
                    MotorImageryRecordings.Markers.STRINGS,
                    events -> {
                        List<Object[]> shifted = new ArrayList<>();
                        for (Object[] e : events) {
                            shifted.add(new Object[] {(double) e[0] + 0.5 / RATE_HZ, e[1]});
                        }
                        return shifted;
                    });

            // ---- the job ----
            JsonObject config =
                    JsonParser.parseString(
                                    Files.readString(
                                            Path.of(
                                                    "../examples/jobs/motor-imagery-spike-count.json")))
                            .getAsJsonObject();
            config.getAsJsonObject("training").addProperty("epochs", 4);
            config.getAsJsonObject("options").addProperty("threads", 1);
            var jobs = JobServiceGrpc.newBlockingStub(f.channel);
            String jobId =
                    jobs.submitJob(
                                    SubmitJobRequest.newBuilder()
                                            .addRecordings("mi.xdf")
                                            .setInputsStream(MotorImageryRecordings.EEG)
                                            .setLabelsStream(MotorImageryRecordings.MARKERS)
                                            .setConfigJson(config.toString())
                                            .setValidationFraction(0.5)
                                            .build())
                            .getId();
            JobEvent last = null;
            for (Iterator<JobEvent> it = jobs.watchJob(JobId.newBuilder().setId(jobId).build());
                    it.hasNext(); ) {
                last = it.next();
            }
            assertThat(last.getState())
                    .as(last.getMessage())
                    .isEqualTo(JobState.JOB_STATE_SUCCEEDED);
            JobInfo info =
                    jobs.listJobs(ListJobsRequest.getDefaultInstance()).getJobsList().stream()
                            .filter(j -> j.getId().equals(jobId))
                            .findFirst()
                            .orElseThrow();
            JsonObject report =
                    JsonParser.parseString(
                                    Files.readString(
                                            f.app.governance()
                                                    .registry()
                                                    .reportsDir()
                                                    .resolve(info.getReport())))
                            .getAsJsonObject();
            assertThat(report.getAsJsonObject("choices").get("classBias").getAsString())
                    .startsWith("not calibrated: a spike_count readout's bias");
            JsonArray perTrial =
                    report.getAsJsonObject("scores")
                            .getAsJsonObject("heldOut")
                            .getAsJsonArray("perTrial");
            assertThat(perTrial).hasSize(TRIALS / 2);

            // ---- the session on its checkpoint ----
            String tag = UUID.randomUUID().toString().substring(0, 8);
            CreateSessionRequest.Builder request = CreateSessionRequest.newBuilder();
            JsonFormat.parser()
                    .merge(
                            Files.readString(
                                    Path.of("../examples/sessions/motor-imagery-lsl.json")),
                            request);
            var spec = request.getSpecBuilder();
            spec.getSourceBuilder().setLslStreamName("mi-eeg-" + tag);
            spec.getLslLabelsBuilder().setName("mi-markers-" + tag);
            spec.setDecoder(DecoderSpec.newBuilder().setRegistryId(info.getCheckpointId()));
            spec.setStallAfterS(60);
            // a replay faster than real time: every sample decoded, as the job ran them all
            spec.setLiveEdge(LiveEdgeSpec.newBuilder().setDecodeEverything(true));
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            assertThatThrownBy(() -> sessions.createSession(request.build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e ->
                                    assertThat(e.getStatus().getCode())
                                            .isEqualTo(Status.Code.FAILED_PRECONDITION))
                    .hasMessageContaining(
                            "spec.learning.enabled: e-prop cannot learn this decoder: readout.type:"
                                    + " e-prop learns through a LEAKY readout, got SPIKE_COUNT");
            spec.setLearning(LearningSettings.newBuilder().setEnabled(false));

            XdfRecording rec = XdfReader.read(file);
            XdfStream eeg = stream(rec, MotorImageryRecordings.EEG);
            XdfStream markers = stream(rec, MotorImageryRecordings.MARKERS);
            List<TrialDecision> decisions = new CopyOnWriteArrayList<>();
            try (Outlet eegOut =
                            new Outlet(
                                    StreamInfo.builder(
                                                    "mi-eeg-" + tag,
                                                    "EEG",
                                                    4,
                                                    ChannelFormat.FLOAT32)
                                            .nominalSrateHz(RATE_HZ)
                                            .sourceId("mi-eeg-" + tag)
                                            .build());
                    Outlet markerOut =
                            new Outlet(
                                    StreamInfo.builder(
                                                    "mi-markers-" + tag,
                                                    "Markers",
                                                    1,
                                                    ChannelFormat.STRING)
                                            .nominalSrateHz(0)
                                            .sourceId("mi-markers-" + tag)
                                            .build())) {
                Session s = sessions.createSession(request.build());
                DecodeServiceGrpc.newStub(f.channel)
                        .watchDecisions(
                                WatchDecisionsRequest.newBuilder().setSessionId(s.getId()).build(),
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(TrialDecision d) {
                                        decisions.add(d);
                                    }

                                    @Override
                                    public void onError(Throwable t) {}

                                    @Override
                                    public void onCompleted() {}
                                });
                await("both inlets", () -> eegOut.haveConsumers() && markerOut.haveConsumers());
                push(eeg, markers, eegOut, markerOut);
                SessionId id = SessionId.newBuilder().setSessionId(s.getId()).build();
                await(
                        "every trial decided",
                        () -> sessions.getSession(id).getTrials().getDecisions() >= TRIALS);
                await("every decision watched", () -> decisions.size() >= TRIALS);
                SessionStatistics stats =
                        DecodeServiceGrpc.newBlockingStub(f.channel).getStatistics(id);
                assertThat(stats.getSamplesIn()).as("%s", stats).isEqualTo(eeg.sampleCount());
                assertThat(
                                stats.getSamplesDropped()
                                        + stats.getSamplesSkipped()
                                        + stats.getSamplesSkippedAtStart()
                                        + stats.getSamplesTimestampsRepaired())
                        .as("%s", stats)
                        .isZero();
                sessions.stopSession(id);
            }
            int compared = 0;
            for (int i = 0; i < perTrial.size(); i++) {
                JsonObject job = perTrial.get(i).getAsJsonObject();
                TrialDecision live =
                        decisions.stream()
                                .filter(d -> d.getTrial() == job.get("trial").getAsLong())
                                .findFirst()
                                .orElseThrow();
                assertThat(live.getDecisionName())
                        .as("trial %d", live.getTrial())
                        .isEqualTo(job.get("decision").getAsString());
                JsonObject p = job.getAsJsonObject("probabilities");
                assertThat((double) live.getProbabilities(0))
                        .as("trial %d", live.getTrial())
                        .isCloseTo(
                                p.get("left").getAsDouble(),
                                org.assertj.core.data.Offset.offset(1e-6));
                assertThat(live.getLearned()).isFalse();
                compared++;
            }
            assertThat(compared).isEqualTo(TRIALS / 2);
        }
    }

    /**
     * Pushes the recording's samples, about SPEED times real time, and each marker {@value
     * #MARKER_LEAD_S} s of signal ahead of the samples it is stamped among: the engine opens a
     * window by its stamp, but only once the marker is there, so a marker that reached the session
     * after the window's first samples (a loaded machine) would shorten the window.
     */
    private static void push(XdfStream eeg, XdfStream markers, Outlet eegOut, Outlet markerOut)
            throws InterruptedException {
        double[] stamps = eeg.timestamps();
        double[] markerStamps = markers.timestamps();
        int chunk = 256;
        double[] t = new double[chunk];
        float[] data = new float[chunk * 4];
        int next = 0;
        for (int s = 0; s < stamps.length; s += chunk) {
            int n = Math.min(chunk, stamps.length - s);
            while (next < markerStamps.length
                    && markerStamps[next] < stamps[s + n - 1] + MARKER_LEAD_S) {
                markerOut.pushChunk(
                        new String[] {markers.samples().stringValue(next, 0)},
                        new double[] {markerStamps[next]},
                        1);
                next++;
            }
            for (int i = 0; i < n; i++) {
                t[i] = stamps[s + i];
                for (int c = 0; c < 4; c++) {
                    data[i * 4 + c] = (float) eeg.samples().doubleValue(s + i, c);
                }
            }
            eegOut.pushChunk(data, t, n);
            Thread.sleep((long) (1000.0 * n / RATE_HZ / SPEED));
        }
        while (next < markerStamps.length) {
            markerOut.pushChunk(
                    new String[] {markers.samples().stringValue(next, 0)},
                    new double[] {markerStamps[next]},
                    1);
            next++;
        }
    }

    private static XdfStream stream(XdfRecording rec, String name) {
        for (XdfStream s : rec.streams()) {
            if (s.info().name().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stream " + name);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + 120_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }
}
