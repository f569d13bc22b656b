package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.learn.jobs.ClassificationScore;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.trials.Trial;
import org.spikeloop.learn.trials.WindowedDecision;
import org.spikeloop.server.engine.Decision;
import org.spikeloop.server.engine.DecisionCursor;
import org.spikeloop.server.engine.DecisionRing;
import org.spikeloop.server.engine.EngineAgent;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.EngineCounters;
import org.spikeloop.server.engine.FrameRing;
import org.spikeloop.server.engine.LatencyRecorders;
import org.spikeloop.server.engine.LearningMode;
import org.spikeloop.server.engine.NetworkDecoder;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.server.engine.TrialEventRing;
import org.spikeloop.server.engine.TrialWindows;
import org.spikeloop.server.jobs.JobResult;
import org.spikeloop.server.jobs.MotorImageryRecordings;
import org.spikeloop.server.jobs.TrainingJob;
import org.spikeloop.server.jobs.TrainingJobRequest;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * Offline and online decide alike on a spike-count readout: a classification job trains the shipped
 * spike-count config ({@code spike_count_ce}) on a raw motor-imagery recording and registers its
 * checkpoint; a session engine built as a session builds it (the checkpoint loaded from the
 * registry, its front-end fed sample by sample, the trial windows decided by {@link TrialWindows}
 * on the window's output spike counts) decodes the same recording; every held-out trial gets the
 * job's decision and probabilities (softmax of the counts).
 */
class SpikeCountDecisionsAgreementTest {
    @TempDir Path dir;

    @Test
    void shouldDecideEveryHeldOutTrialAsTheJobDid() throws Exception {
        Path file = dir.resolve("mi.xdf");
        MotorImageryRecordings.write(
                file,
                MotorImageryRecordings.config(1).build(),
                24,
                500.0,
                MotorImageryRecordings.Markers.STRINGS,
                null);
        JsonObject config =
                JsonParser.parseString(
                                Files.readString(
                                        Path.of("../examples/jobs/motor-imagery-spike-count.json")))
                        .getAsJsonObject();
        config.getAsJsonObject("training").addProperty("epochs", 4);
        config.getAsJsonObject("options").addProperty("threads", 1);
        JobConfig job = JobConfig.parse(config.toString());
        assertThat(job.spec().readout().type()).isEqualTo(ReadoutType.SPIKE_COUNT);
        CheckpointRegistry registry = CheckpointRegistry.open(dir.resolve("registry"));
        JobResult r =
                new TrainingJob(
                                "sc",
                                new TrainingJobRequest(
                                        "s1",
                                        List.of(file),
                                        MotorImageryRecordings.EEG,
                                        MotorImageryRecordings.MARKERS,
                                        Double.NaN,
                                        Double.NaN,
                                        config.toString(),
                                        null,
                                        Double.NaN,
                                        0,
                                        2,
                                        "alice"),
                                registry,
                                1)
                        .run(p -> {}, () -> false);
        ClassificationScore offline = r.classification().heldOut();
        assertThat(offline.count()).isEqualTo(12);

        // ---- the session's engine on the job's checkpoint ----
        Checkpoint checkpoint = registry.load(r.checkpoint().id(), job.spec());
        NetworkDecoder decoder = new NetworkDecoder(checkpoint.spec(), checkpoint.params());
        FrontEndSpec frontEnd = new FrontEndSpec(4, 256, job.frontEnd());
        SampleRing input = new SampleRing(frontEnd.outputChannels(), 64);
        EngineAgent engine =
                new EngineAgent(
                        "s1",
                        decoder,
                        null,
                        input,
                        new SampleRing(2, 16),
                        new FrameRing(2, 64),
                        16,
                        new EngineCounters(),
                        new LatencyRecorders(),
                        EngineClock.system(),
                        Long.MAX_VALUE,
                        LearningMode.PAUSED,
                        0.01,
                        20,
                        r.checkpoint().id());
        TrialEventRing events = new TrialEventRing(64);
        DecisionRing decisions = new DecisionRing(2, 64);
        WindowedDecision.Aggregate aggregate = // as SessionFactory chooses it
                WindowedDecision.Aggregate.of(
                        checkpoint.spec().readout().type() == ReadoutType.SPIKE_COUNT);
        assertThat(aggregate).isEqualTo(WindowedDecision.Aggregate.SUM);
        engine.withTrialWindows(new TrialWindows(events, decisions, aggregate));
        for (Trial t : offline.trials()) {
            assertThat(events.offerOpen(t.index(), t.classIndex(), t.cue(), t.startS(), t.endS()))
                    .isTrue();
        }
        DecisionCursor cursor = decisions.newCursor(); // before the first decision
        engine.onStart();
        FrontEndFeed feed = new FrontEndFeed(input, frontEnd.build());
        XdfStream eeg = stream(XdfReader.read(file), MotorImageryRecordings.EEG);
        double[] stamps = eeg.timestamps();
        float[] sample = new float[4];
        for (int s = 0; s < stamps.length; s++) {
            for (int c = 0; c < 4; c++) {
                sample[c] = (float) eeg.samples().doubleValue(s, c);
            }
            assertThat(feed.offer(sample, stamps[s], System.nanoTime())).isTrue();
            while (!input.isEmpty()) {
                engine.doWork();
            }
        }

        List<Decision> online = new ArrayList<>();
        Decision d = new Decision(2);
        while (cursor.poll(d)) {
            Decision copy = new Decision(2);
            copy.trial = d.trial;
            copy.decision = d.decision;
            copy.frames = d.frames;
            System.arraycopy(d.probabilities, 0, copy.probabilities, 0, 2);
            online.add(copy);
        }
        assertThat(online).hasSize(offline.count());
        for (int i = 0; i < online.size(); i++) {
            Decision o = online.get(i);
            assertThat(o.trial).isEqualTo(offline.trials().get(i).index());
            assertThat(o.decision).as("trial %d", o.trial).isEqualTo(offline.decision()[i]);
            for (int k = 0; k < 2; k++) {
                assertThat((double) o.probabilities[k])
                        .as("trial %d class %d", o.trial, k)
                        .isCloseTo(offline.probabilities()[i][k], within(1e-6));
            }
        }
        // the probabilities are a softmax of integer counts: not all ties, not all certain
        assertThat(online).anySatisfy(o -> assertThat(o.probabilities[0]).isNotEqualTo(0.5f));
    }

    private static XdfStream stream(XdfRecording rec, String name) {
        for (XdfStream s : rec.streams()) {
            if (s.info().name().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stream " + name);
    }
}
