package org.spikeloop.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.cli.SpikeloopCli;
import picocli.CommandLine;

/** Argument errors only: full runs are minutes long and belong to docs/benchmarks.md. */
class DecodeBenchCommandTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SpikeloopCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void shouldRejectANonPositiveEegNetwork() {
        String[] r = run("bench", "decode", "--eeg-hidden", "0", "--json", "--no-doc");

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("--eeg-hidden >= 1");
        assertThat(run("bench", "decode", "--eeg-epochs", "0", "--no-doc")[2])
                .contains("--eeg-epochs >= 1");
    }

    @Test
    void shouldRejectTooFewEegTrainingTrials() {
        assertThat(run("bench", "decode", "--eeg-train-trials", "3", "--no-doc")[2])
                .contains("--eeg-train-trials >= 4");
    }
}
