package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The whole {@code spikeloop} command tree, walked through picocli's model: every option and
 * argument says what it is, every default is shown in the help, and the vocabulary the commands
 * share is written down in docs/cli.md.
 */
class CommandTreeTest {
    private static final Path CLI_DOC = Path.of("..", "docs", "cli.md");

    private static List<CommandSpec> commands() {
        List<CommandSpec> all = new ArrayList<>();
        collect(SpikeloopCli.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine cli, List<CommandSpec> all) {
        if (cli.getCommand() instanceof CommandLine.HelpCommand) {
            return;
        }
        all.add(cli.getCommandSpec());
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getParent() == cli) { // not an alias of a subcommand already visited
                collect(sub, all);
            }
        }
    }

    /** The options a user sees in a command's help (not --help/--version, not hidden aliases). */
    private static List<OptionSpec> visibleOptions(CommandSpec c) {
        return c.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp() && !o.hidden())
                .toList();
    }

    /**
     * The default a user should see, or null when there is none worth showing: a flag that is off,
     * an empty text or list, a required option.
     */
    static String defaultOf(OptionSpec o) {
        if (o.required()) {
            return null;
        }
        Object value = o.defaultValue() != null ? o.defaultValue() : o.initialValue();
        if (value == null
                || value.toString().isEmpty()
                || value instanceof Collection<?> c && c.isEmpty()) {
            return null;
        }
        if (o.arity().max() == 0) { // a flag: only one that is on by default needs saying so
            return Boolean.parseBoolean(value.toString()) ? "on" : null;
        }
        return value.toString();
    }

    @Test
    void shouldWalkEveryCommand() {
        assertThat(commands())
                .extracting(CommandSpec::qualifiedName)
                .contains(
                        "spikeloop serve",
                        "spikeloop demo",
                        "spikeloop checkpoint inspect",
                        "spikeloop sim eeg",
                        "spikeloop bench e2e",
                        "spikeloop eprop run");
    }

    @Test
    void shouldDescribeEveryOptionAndArgument() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec c : commands()) {
            for (OptionSpec o : visibleOptions(c)) {
                if (String.join(" ", o.description()).isBlank()) {
                    missing.add(c.qualifiedName() + " " + o.longestName());
                }
            }
            for (PositionalParamSpec p : c.positionalParameters()) {
                if (String.join(" ", p.description()).isBlank()) {
                    missing.add(c.qualifiedName() + " " + p.paramLabel());
                }
            }
        }
        assertThat(missing).as("options and arguments without a description").isEmpty();
    }

    @Test
    void shouldShowEveryDefaultInTheHelp() {
        List<String> hidden = new ArrayList<>();
        for (CommandSpec c : commands()) {
            for (OptionSpec o : visibleOptions(c)) {
                String d = defaultOf(o);
                if (d != null && !String.join(" ", o.description()).contains(d)) {
                    hidden.add(c.qualifiedName() + " " + o.longestName() + " (default " + d + ")");
                }
            }
        }
        assertThat(hidden).as("options whose help does not show their default").isEmpty();
    }

    @Test
    void shouldCatchAFlagOnByDefaultOrAValueWhoseDefaultIsNotShown() {
        // The rule above, on options built to break it: the test must be able to fail.
        OptionSpec silent =
                OptionSpec.builder("--x")
                        .type(int.class)
                        .defaultValue("7")
                        .description("X.")
                        .build();
        OptionSpec flagOn =
                OptionSpec.builder("--y")
                        .type(boolean.class)
                        .arity("0")
                        .initialValue(true)
                        .description("Y.")
                        .build();

        assertThat(defaultOf(silent)).isEqualTo("7");
        assertThat(defaultOf(flagOn)).isEqualTo("on");
    }

    @Test
    void shouldListTheSharedVocabularyInTheCliDoc() throws IOException {
        String doc = Files.readString(CLI_DOC);
        Map<String, TreeSet<String>> commandsByOption = new TreeMap<>();
        for (CommandSpec c : commands()) {
            for (OptionSpec o : visibleOptions(c)) {
                for (String name : o.names()) {
                    commandsByOption
                            .computeIfAbsent(name, k -> new TreeSet<>())
                            .add(c.qualifiedName());
                }
            }
        }
        List<String> undocumented = new ArrayList<>();
        commandsByOption.forEach(
                (option, commands) -> {
                    if (commands.size() > 1 && !doc.contains("`" + option + "`")) {
                        undocumented.add(option + " " + commands);
                    }
                });
        assertThat(undocumented)
                .as("options several commands share, missing in docs/cli.md")
                .isEmpty();
    }

    @Test
    void shouldListEveryDeprecatedSpellingInTheCliDoc() throws IOException {
        List<String> lines = Files.readAllLines(CLI_DOC);
        for (DeprecatedAliases.Alias a : DeprecatedAliases.ALL) {
            assertThat(lines)
                    .as("a docs/cli.md line for %s %s -> %s", a.command(), a.old(), a.current())
                    .anyMatch(
                            l ->
                                    l.contains("`" + a.old() + "`")
                                            && l.contains("`" + a.current() + "`")
                                            && l.contains(a.command()));
        }
    }
}
