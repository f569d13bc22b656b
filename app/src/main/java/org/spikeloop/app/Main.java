package org.spikeloop.app;

import org.spikeloop.app.cli.SpikeloopCli;
import org.spikeloop.app.logging.LogRouting;

/** The entry point of {@code spikeloop.jar}: runs the {@code spikeloop} command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        LogRouting.install();
        System.exit(SpikeloopCli.commandLine().execute(args));
    }
}
