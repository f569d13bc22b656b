package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.jobs.RegressionRecipe;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.trials.TrialProtocol;
import org.spikeloop.proto.v1.BandPowerStage;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LslLabelSpec;
import org.spikeloop.proto.v1.NormaliseStage;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.signal.Band;
import org.spikeloop.signal.StageSpec;
import org.spikeloop.snn.spec.ReadoutType;
import picocli.CommandLine;

/**
 * The files in {@code examples/} mean what examples/README.md says: the server properties load and
 * name every key with its true default, the session spec parses and fits the rig {@code spikeloop
 * sim intracortical} publishes by default and the demo's learning settings, and the job config is a
 * regression job for that rig; the motor-imagery session spec has the motor-imagery job's front-end
 * and trial protocol, and the spike-count motor-imagery job differs from the motor-imagery job only
 * in its readout and loss. (The walkthrough itself runs in the interop suite, test_walkthrough.py.)
 */
class ExampleFilesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final Pattern ASSIGNMENT = Pattern.compile("^(#?)([a-zA-Z.]+)=(.*)$");

    /**
     * Keys whose commented value is not the default on every machine: engine.threads defaults to
     * half the cores (the file shows the 2-core value and says so).
     */
    private static final List<String> MACHINE_DEPENDENT = List.of("engine.threads");

    @Test
    void shouldLoadTheServerPropertiesWithEveryKeyAndTheTrueDefaults() throws Exception {
        Path file = EXAMPLES.resolve("server.properties");
        ServerConfig loaded = ServerConfig.load(file);
        assertThat(loaded.grpcHost()).isEqualTo("127.0.0.1");
        assertThat(loaded.grpcPort()).isEqualTo(50051);
        assertThat(loaded.metricsPort()).isEqualTo(9464);
        assertThat(loaded.checkpointDir()).isEqualTo(Path.of("checkpoints"));
        assertThat(loaded.recordingsDir()).isEqualTo(Path.of("recordings"));
        assertThat(loaded.recordingEnabled()).isTrue();
        assertThat(loaded.tokensEnabled() || loaded.tlsEnabled()).isFalse();

        List<String> named = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(2);
            named.add(key);
            if (m.group(1).isEmpty() || MACHINE_DEPENDENT.contains(key)) {
                continue;
            }
            // A commented line shows the default: applied alone, it changes nothing.
            Properties p = new Properties();
            p.load(new StringReader(key + "=" + m.group(3)));
            assertThat(ServerConfig.apply(ServerConfig.defaults(), p))
                    .as("#%s=%s is the default", key, m.group(3))
                    .isEqualTo(ServerConfig.defaults());
        }
        assertThat(named).containsExactlyInAnyOrderElementsOf(ServerConfig.KEYS);
    }

    @Test
    void shouldDescribeASessionOnTheDefaultSimulatedRigWithTheDemosLearning() {
        CreateSessionRequest r =
                SessionSpecFile.read(EXAMPLES.resolve("sessions/intracortical-lsl.json"));
        SessionSpec s = r.getSpec();
        CommandLine.Model.CommandSpec sim =
                new CommandLine(new SpikeloopCli())
                        .getSubcommands()
                        .get("sim")
                        .getSubcommands()
                        .get("intracortical")
                        .getCommandSpec();
        String prefix = sim.findOption("--prefix").defaultValue();
        assertThat(s.getChannelCount())
                .isEqualTo(Integer.parseInt(sim.findOption("--units").defaultValue()));
        assertThat(s.getSampleRateHz()).isEqualTo(1000.0);
        assertThat(s.getSource().getKind()).isEqualTo(SourceKind.SOURCE_LSL);
        assertThat(s.getSource().getLslStreamName()).isEqualTo(prefix + "-spikes");
        assertThat(s.getLslLabels().getName()).isEqualTo(prefix + "-kinematics");
        assertThat(s.getLslLabels().getType()).isEqualTo("Kinematics");
        assertThat(s.getLslLabels().getKind()).isEqualTo(LabelKind.LABEL_KIND_CONTINUOUS);
        assertThat(s.getLslLabels().getSampleRateHz()).isEqualTo(1000.0);
        DemoCommand demo = new DemoCommand();
        assertThat(s.getLearning().getEnabled()).isTrue();
        assertThat(s.getLearning().getLearningRate()).isEqualTo(demo.learningRate);
        assertThat(s.getLearning().getUpdateIntervalSteps()).isEqualTo(demo.updateIntervalSteps);
        // No decoder source: the walkthrough's --registry-id gives it.
        assertThat(s.getDecoder().getOutputs()).isEqualTo(2);
        String id = "a".repeat(64);
        assertThat(
                        SessionSpecFile.withOverrides(r, id, null)
                                .getSpec()
                                .getDecoder()
                                .getRegistryId())
                .isEqualTo(id);
        assertThatThrownBy(() -> SessionSpecFile.withOverrides(r, null, null))
                .hasMessageContaining("--registry-id");
    }

    @Test
    void shouldShipARegressionJobForTheSessionsRig() throws Exception {
        JobConfig job =
                JobConfig.parse(
                        Files.readString(EXAMPLES.resolve("jobs/intracortical-regression.json")));
        SessionSpec session =
                SessionSpecFile.read(EXAMPLES.resolve("sessions/intracortical-lsl.json")).getSpec();
        assertThat(RegressionRecipe.applies(job)).isTrue();
        assertThat(job.spec().inputs()).isEqualTo(session.getChannelCount());
        assertThat(job.spec().outputs()).isEqualTo(session.getDecoder().getOutputs());
        assertThat(1000.0 / job.spec().dtMs()).isEqualTo(session.getSampleRateHz());
    }

    /**
     * The motor-imagery session spec decodes what the motor-imagery job trains on: a job refuses a
     * recording whose front-end differs from its own, and the session must cut trials as the job.
     */
    @Test
    void shouldShipAMotorImagerySessionWithTheJobsFrontEndAndTrialProtocol() throws Exception {
        JobConfig job =
                JobConfig.parse(Files.readString(EXAMPLES.resolve("jobs/motor-imagery.json")));
        SessionSpec s =
                SessionSpecFile.read(EXAMPLES.resolve("sessions/motor-imagery-lsl.json")).getSpec();
        TrialProtocol p = job.task().protocol();
        LslLabelSpec l = s.getLslLabels();

        assertThat(l.getKind()).isEqualTo(LabelKind.LABEL_KIND_MARKERS);
        assertThat(l.getClassNamesList()).isEqualTo(p.classNames());
        Map<String, Integer> cues = new HashMap<>();
        l.getCueClassesMap().forEach((cue, k) -> cues.put(cue, k));
        assertThat(cues).isEqualTo(p.cueClasses());
        assertThat(l.getTrialS()).isEqualTo(p.trialS());
        assertThat(l.getStartOffsetS()).isEqualTo(p.startOffsetS());
        assertThat(Set.copyOf(l.getEndCuesList())).isEqualTo(p.endCues());
        assertThat(Set.copyOf(l.getIgnoredMarkersList())).isEqualTo(p.ignoredMarkers());
        assertThat(s.getDecoder().getArchitecture().getOutputs()).isEqualTo(p.classCount());
        assertThat(s.getChannelCount()).isEqualTo(4);
        assertThat(s.getSampleRateHz()).isEqualTo(256.0);
        assertThat(s.getLearning().getEnabled()).isTrue();

        List<StageSpec> stages = job.frontEnd();
        assertThat(s.getFrontEnd().getStagesCount()).isEqualTo(stages.size()).isEqualTo(2);
        StageSpec.Power power = (StageSpec.Power) stages.get(0);
        BandPowerStage bp = s.getFrontEnd().getStages(0).getBandPower();
        List<Band> bands = new ArrayList<>();
        bp.getBandsList().forEach(b -> bands.add(new Band(b.getLowHz(), b.getHighHz())));
        assertThat(bands).isEqualTo(power.bands());
        assertThat(bp.getOrder()).isEqualTo(power.order());
        assertThat(bp.getWindowS()).isEqualTo(power.windowS());
        assertThat(bp.getOutputRateHz()).isEqualTo(power.outputRateHz());
        assertThat(bp.getLog()).isEqualTo(power.log());
        StageSpec.Normalise norm = (StageSpec.Normalise) stages.get(1);
        NormaliseStage ns = s.getFrontEnd().getStages(1).getNormalise();
        assertThat(ns.getTimeConstantS()).isEqualTo(norm.timeConstantS());
        assertThat(ns.getVarianceFloor()).isEqualTo(norm.varianceFloor());
        assertThat(1000.0 / job.spec().dtMs()).isEqualTo(power.outputRateHz());
        assertThat(job.spec().inputs()).isEqualTo(s.getChannelCount() * power.bands().size());
    }

    /**
     * The spike-count motor-imagery job differs from the motor-imagery job only in its readout and
     * loss, so it trains on the same recordings and its checkpoint fits the same session spec.
     */
    @Test
    void shouldShipASpikeCountMotorImageryJobThatDiffersOnlyInItsReadoutAndLoss() throws Exception {
        String text = Files.readString(EXAMPLES.resolve("jobs/motor-imagery-spike-count.json"));
        JobConfig job = JobConfig.parse(text);
        assertThat(job.spec().readout().type()).isEqualTo(ReadoutType.SPIKE_COUNT);
        assertThat(job.objective().get(0).name()).isEqualTo("spike_count_ce");
        JsonObject spikeCount = JsonParser.parseString(text).getAsJsonObject();
        JsonObject leaky =
                JsonParser.parseString(
                                Files.readString(EXAMPLES.resolve("jobs/motor-imagery.json")))
                        .getAsJsonObject();
        for (JsonObject o : List.of(spikeCount, leaky)) {
            o.getAsJsonObject("network").remove("readout");
            o.remove("loss");
        }
        assertThat(spikeCount).isEqualTo(leaky);
        SessionSpec s =
                SessionSpecFile.read(EXAMPLES.resolve("sessions/motor-imagery-lsl.json")).getSpec();
        assertThat(job.spec().outputs()).isEqualTo(s.getDecoder().getArchitecture().getOutputs());
    }
}
