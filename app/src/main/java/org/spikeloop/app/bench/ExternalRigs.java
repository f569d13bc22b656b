package org.spikeloop.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.spikeloop.adapters.lsl.Resolver;

/**
 * Rigs as processes of their own, as rigs are machines of their own in deployment: per rig either
 * the small pylsl publisher {@code e2e_rig.py} (one sample per period, stamped just before its
 * push, from the first connected consumer on; it reports how many it pushed) or {@code spikeloop
 * sim intracortical --chunk-ms 1} (the simulated array; it stamps each sample with the time it
 * describes and does not report a count). Each can run under {@code nice} and {@code taskset}, so
 * that the rigs do not take the server's CPU or do not share its cores.
 *
 * <p>Threading: the benchmark's control thread. The processes' stderr goes to files in the run's
 * directory.
 */
final class ExternalRigs implements E2eRigs {
    /** How long a rig's stream may take to appear on the network. */
    static final double RESOLVE_S = 60;

    private final List<Process> processes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<BufferedReader> outputs = new ArrayList<>();
    private final String program;
    private final int nice;
    private final String cpus;

    /**
     * @param program {@code pylsl} or {@code sim}
     * @param nice niceness of the rig processes (0 = as the benchmark)
     * @param cpus a {@code taskset -c} CPU list, or "" for any CPU
     * @param python the interpreter with pylsl (for {@code pylsl})
     * @param dir the run's directory (the rig script, the processes' stderr)
     */
    ExternalRigs(
            int count,
            int channels,
            int rateHz,
            double spikeProbability,
            String program,
            int nice,
            String cpus,
            String python,
            Path dir)
            throws IOException {
        this.program = program;
        this.nice = nice;
        this.cpus = cpus;
        if (!program.equals("pylsl") && !program.equals("sim")) {
            throw new IllegalArgumentException(
                    "--rig-program: pylsl or sim, got '" + program + "'");
        }
        if (program.equals("sim") && rateHz != 1000) {
            throw new IllegalArgumentException(
                    "--rig-program sim: the simulated array runs at 1000 Hz, got --rate-hz "
                            + rateHz);
        }
        Path script = dir.resolve("e2e_rig.py");
        try (InputStream in = ExternalRigs.class.getResourceAsStream("e2e_rig.py")) {
            Files.copy(in, script);
        }
        try {
            for (int k = 0; k < count; k++) {
                String name = "spikeloop-e2e-" + UUID.randomUUID();
                List<String> cmd = prefix();
                if (program.equals("pylsl")) {
                    cmd.addAll(
                            List.of(
                                    python,
                                    script.toString(),
                                    "--name",
                                    name,
                                    "--channels",
                                    Integer.toString(channels),
                                    "--rate",
                                    Integer.toString(rateHz),
                                    "--p",
                                    Double.toString(spikeProbability),
                                    "--seed",
                                    Integer.toString(k + 1)));
                    names.add(name);
                } else {
                    cmd.addAll(ChildJvm.command("-Xmx64m", "-XX:+UseSerialGC"));
                    cmd.addAll(
                            List.of(
                                    "sim",
                                    "intracortical",
                                    "--prefix",
                                    name,
                                    "--seed",
                                    Integer.toString(k + 1),
                                    "--units",
                                    Integer.toString(channels),
                                    "--chunk-ms",
                                    "1"));
                    names.add(name + "-spikes");
                }
                Process p =
                        new ProcessBuilder(cmd)
                                .redirectError(dir.resolve("rig-" + k + ".err").toFile())
                                .start();
                processes.add(p);
                outputs.add(
                        new BufferedReader(
                                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (String n : names) {
                if (Resolver.byProperty("name", n, 1, RESOLVE_S).isEmpty()) {
                    throw new IOException(
                            "rig stream '" + n + "' did not appear within " + RESOLVE_S + " s");
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code nice -n N} and {@code taskset -c CPUS} as asked. */
    private List<String> prefix() {
        List<String> cmd = new ArrayList<>();
        if (nice != 0) {
            cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
        }
        if (!cpus.isEmpty()) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        return cmd;
    }

    @Override
    public List<String> streamNames() {
        return names;
    }

    @Override
    public void startPushing() {
        // each pushes from its first connected consumer on
    }

    @Override
    public long[] stop() throws IOException, InterruptedException {
        long[] pushed = new long[processes.size()];
        for (Process p : processes) {
            if (program.equals("pylsl")) {
                // Stops pushing; the outlet stays open, its samples in flight still arrive.
                p.getOutputStream().write("stop\n".getBytes(StandardCharsets.US_ASCII));
                p.getOutputStream().flush();
            }
        }
        for (int k = 0; k < processes.size(); k++) {
            pushed[k] = -1;
            Process p = processes.get(k);
            if (program.equals("pylsl")) {
                for (String line = outputs.get(k).readLine();
                        line != null;
                        line = outputs.get(k).readLine()) {
                    if (line.startsWith("pushed ")) {
                        pushed[k] = Long.parseLong(line.substring(7).trim());
                        break;
                    }
                }
            } else {
                p.destroy(); // spikeloop sim does not count: it stops now
            }
        }
        return pushed;
    }

    @Override
    public List<ProcessHandle> processes() {
        return processes.stream().map(Process::toHandle).toList();
    }

    @Override
    public String describe() {
        return "external " + program;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            try {
                p.getOutputStream().close(); // a pylsl rig's signal to close its outlet and exit
            } catch (IOException e) {
                p.destroy(); // its stdin is already gone
            }
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
