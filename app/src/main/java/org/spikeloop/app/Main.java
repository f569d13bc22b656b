package org.spikeloop.app;

import org.spikeloop.app.cli.SpikeloopCli;

/** The entry point of {@code spikeloop.jar}: runs the {@code spikeloop} command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(SpikeloopCli.commandLine().execute(args));
    }
}
