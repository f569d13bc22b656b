package org.spikeloop.app.bench;

import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line a benchmark result records as how it was made ({@code "command"} in its JSON,
 * "Made by" in its markdown): {@code ./spikeloop} and the arguments as they were typed, so a reader
 * can run it again.
 */
final class Invocation {
    private Invocation() {}

    /** The command line that ran {@code command} (its spec, after parsing). */
    static String of(CommandSpec command) {
        StringBuilder b = new StringBuilder("./spikeloop");
        for (String arg : command.commandLine().getParseResult().originalArgs()) {
            b.append(' ').append(arg);
        }
        return b.toString();
    }
}
