package org.spikeloop.app.bench;

import picocli.CommandLine.Option;

/** {@code --json}: a harness's result as one JSON object on stdout; progress stays on stderr. */
final class JsonOutput {
    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    boolean json;
}
