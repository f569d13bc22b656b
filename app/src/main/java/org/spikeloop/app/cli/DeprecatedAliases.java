package org.spikeloop.app.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Old option spellings that still work, so that scripts written before the vocabulary was unified
 * (docs/cli.md) keep running. Each is a hidden option of its command that hands its value to the
 * new spelling (which the command alone knows) and prints one line on stderr: {@code spikeloop
 * serve: --checkpoint-dir is deprecated, use --checkpoints-dir}.
 */
final class DeprecatedAliases {
    private DeprecatedAliases() {}

    /**
     * One old spelling.
     *
     * @param command the command's path below {@code spikeloop}, e.g. {@code "sim eeg"}
     * @param old the deprecated option name
     * @param current the option name to use instead
     */
    record Alias(String command, String old, String current) {}

    /** Every deprecated spelling, by command (docs/cli.md lists them too). */
    static final List<Alias> ALL =
            List.of(
                    new Alias("serve", "--checkpoint-dir", "--checkpoints-dir"),
                    new Alias("serve", "--max-ingest-rate", "--max-ingest-rate-hz"),
                    new Alias("demo", "--neurons", "--hidden"),
                    new Alias("demo", "--calibration", "--train-s"),
                    new Alias("demo", "--rotation", "--rotation-deg"),
                    new Alias("demo", "--r2-window", "--r2-window-s"),
                    new Alias("demo", "--drift-at", "--drift-at-s"),
                    new Alias("sim intracortical", "--name", "--prefix"),
                    new Alias("sim eeg", "--name", "--prefix"),
                    new Alias("lsl push", "--rate", "--rate-hz"),
                    new Alias("lsl push", "--labels", "--channel-labels"),
                    new Alias("lsl push", "--input", "--data"),
                    new Alias("lsl push", "--chunk", "--chunk-samples"),
                    new Alias("xdf record", "--seconds", "--duration"),
                    new Alias("forward", "--input", "--data"),
                    new Alias("checkpoint import", "--npz", "--params"),
                    new Alias("checkpoint export", "--npz", "--out"),
                    new Alias("train", "--recordings", "--recordings-dir"),
                    new Alias("train", "--inputs", "--inputs-stream"),
                    new Alias("train", "--labels", "--labels-stream"),
                    new Alias("bench step", "--neurons", "--hidden"),
                    new Alias("bench train", "--neurons", "--hidden"),
                    new Alias("bench train", "--steps", "--window-frames"),
                    new Alias("bench decode", "--drift-deg", "--rotation-deg"),
                    new Alias("bench decode", "--window-s", "--r2-window-s"),
                    new Alias("bench decode", "--rotation", "--rotation-deg"),
                    new Alias("bench decode", "--neurons", "--hidden"),
                    new Alias("bench decode", "--calibration", "--train-s"),
                    new Alias("bench decode", "--drift-at", "--drift-at-s"),
                    new Alias("bench ingest", "--rate", "--rate-hz"),
                    new Alias("bench ingest", "--seconds", "--duration"),
                    new Alias("bench e2e", "--rate", "--rate-hz"),
                    new Alias("bench e2e", "--seconds", "--duration"),
                    new Alias("bench e2e", "--warmup", "--warmup-s"),
                    new Alias("bench e2e", "--no-learning", "--no-eprop"),
                    new Alias("bench jobs", "--seconds", "--duration"),
                    new Alias("bench jobs", "--warmup", "--warmup-s"));

    /**
     * Adds every alias to its command in {@code root}'s tree.
     *
     * @throws IllegalStateException if a command or a current option named in {@link #ALL} does not
     *     exist (a rename that forgot its alias)
     */
    static void install(CommandLine root) {
        for (Alias a : ALL) {
            CommandLine cmd = root;
            for (String name : a.command().split(" ")) {
                cmd = cmd.getSubcommands().get(name);
                if (cmd == null) {
                    throw new IllegalStateException("no command '" + a.command() + "'");
                }
            }
            CommandSpec spec = cmd.getCommandSpec();
            OptionSpec current = spec.findOption(a.current());
            if (current == null) {
                throw new IllegalStateException(a.command() + " has no option " + a.current());
            }
            spec.addOption(alias(a, current));
        }
    }

    /**
     * A hidden option that, when matched, puts the current name back on the arguments in its place
     * (its value, if any, is still there), so the command sees exactly what the new spelling gives.
     */
    private static OptionSpec alias(Alias a, OptionSpec current) {
        return OptionSpec.builder(a.old())
                .hidden(true)
                .type(current.type())
                .auxiliaryTypes(current.auxiliaryTypes())
                .arity(current.arity())
                .description("Deprecated: use " + a.current() + ".")
                .hasInitialValue(false)
                .preprocessor(
                        (args, commandSpec, argSpec, info) -> {
                            CommandLine cmd = commandSpec.commandLine();
                            cmd.getErr()
                                    .println(
                                            commandSpec.qualifiedName()
                                                    + ": "
                                                    + a.old()
                                                    + " is deprecated, use "
                                                    + a.current());
                            cmd.getErr().flush();
                            args.push(a.current());
                            return true;
                        })
                .build();
    }
}
