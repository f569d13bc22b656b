package org.spikeloop.app;

import org.spikeloop.app.cli.SpikeloopCli;
import picocli.CommandLine;

/** The entry point of {@code spikeloop.jar}: runs the {@code spikeloop} command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpikeloopCli()).execute(args));
    }
}
