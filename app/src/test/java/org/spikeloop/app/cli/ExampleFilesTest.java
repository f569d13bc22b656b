package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.jobs.RegressionRecipe;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.server.config.ServerConfig;
import picocli.CommandLine;

/**
 * The files in {@code examples/} mean what examples/README.md says: the server properties load and
 * name every key with its true default, the session spec parses and fits the rig {@code spikeloop
 * sim intracortical} publishes by default and the demo's learning settings, and the job config is a
 * regression job for that rig. (The walkthrough itself runs in the interop suite,
 * test_walkthrough.py.)
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
}
