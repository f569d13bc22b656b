package org.spikeloop.app.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs another {@code spikeloop} command in a JVM of its own, on this process's
 * Java and class path (the shaded jar when run from it), with the export Agrona needs.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code java OPTIONS... -cp CLASSPATH org.spikeloop.app.Main}; append the command's words. */
    static List<String> command(String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.spikeloop.app.Main");
        return cmd;
    }
}
