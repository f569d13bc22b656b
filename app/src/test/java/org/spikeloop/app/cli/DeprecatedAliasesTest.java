package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Old option spellings keep working, say once that they are deprecated, and stay out of --help. */
class DeprecatedAliasesTest {
    @TempDir Path dir;

    static Stream<DeprecatedAliases.Alias> aliases() {
        return DeprecatedAliases.ALL.stream();
    }

    /**
     * What the named option holds after parsing {@code command option [value]} (or the command
     * alone when {@code spelling} is null), and stderr.
     */
    private record Parsed(Object value, String err) {}

    private static Parsed parse(DeprecatedAliases.Alias a, String spelling) {
        CommandLine cli = SpikeloopCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        CommandLine cmd = cli;
        for (String word : a.command().split(" ")) {
            cmd = cmd.getSubcommands().get(word);
        }
        OptionSpec current = cmd.getCommandSpec().findOption(a.current());
        List<String> args = new ArrayList<>(List.of(a.command().split(" ")));
        if (spelling != null) {
            args.add(spelling);
            if (current.arity().max() > 0) {
                args.add(sampleValue(current));
            }
        }
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.MissingParameterException e) {
            // another option the command requires; the one under test is parsed by then
        }
        return new Parsed(current.getValue(), err.toString());
    }

    /** A value the option's type accepts and its default is not. */
    private static String sampleValue(OptionSpec o) {
        Class<?> t = o.type();
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "7";
        }
        if (t == double.class || t == Double.class) {
            return "7.5";
        }
        return "sample";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aliases")
    void shouldGiveTheOldSpellingTheSameMeaningAndSaySoOnce(DeprecatedAliases.Alias a) {
        Parsed old = parse(a, a.old());
        Parsed current = parse(a, a.current());

        Parsed neither = parse(a, null);

        assertThat(current.value())
                .as("the current spelling sets the option (it is not left at its default)")
                .isNotEqualTo(neither.value());
        assertThat(old.value()).isEqualTo(current.value());
        assertThat(current.err()).isEmpty();
        assertThat(old.err())
                .isEqualTo(
                        "spikeloop "
                                + a.command()
                                + ": "
                                + a.old()
                                + " is deprecated, use "
                                + a.current()
                                + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aliases")
    void shouldKeepTheOldSpellingOutOfTheHelp(DeprecatedAliases.Alias a) {
        String[] help =
                Stream.concat(Stream.of(a.command().split(" ")), Stream.of("--help"))
                        .toArray(String[]::new);

        CliRun r = CliRun.of(help);

        assertThat(r.exitCode()).isZero();
        String current = a.current().replace("--no-", "--[no-]"); // a negatable option's form
        assertThat(r.out())
                .contains(current)
                .doesNotContainPattern(Pattern.quote(a.old()) + "(?![a-z-])");
    }

    @Test
    void shouldServeWithAnOldScriptsSpelling() {
        Path checkpoints = dir.resolve("ck");

        CliRun r =
                CliRun.of(
                        "serve",
                        "--port",
                        "0",
                        "--metrics-port",
                        "-1",
                        "--audit-log",
                        dir.resolve("audit.log").toString(),
                        "--recordings-dir",
                        dir.resolve("rec").toString(),
                        "--checkpoint-dir",
                        checkpoints.toString(),
                        "--duration",
                        "0.2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.errLines())
                .first()
                .isEqualTo(
                        "spikeloop serve: --checkpoint-dir is deprecated, use --checkpoints-dir");
        assertThat(checkpoints.resolve("registry")).isDirectory();
    }
}
