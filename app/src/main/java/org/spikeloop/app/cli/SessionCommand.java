package org.spikeloop.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spikeloop session}: the sessions of a running server, over its gRPC API (SessionService,
 * DecodeService): create one from a spec file, list, get, watch its decoded frames or its per-trial
 * decisions, stop it.
 */
@Command(
        name = "session",
        mixinStandardHelpOptions = true,
        description =
                "Create, list, inspect, watch and stop the sessions of a running spikeloop server"
                        + " (and follow a trial session's decisions).",
        subcommands = {
            SessionCreateCommand.class,
            SessionListCommand.class,
            SessionGetCommand.class,
            SessionWatchCommand.class,
            SessionDecisionsCommand.class,
            SessionStopCommand.class
        })
public final class SessionCommand implements Runnable {
    /** Deadline of the unary calls: creating an LSL session waits up to 5 s for its streams. */
    static final long CALL_DEADLINE_S = 30;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
