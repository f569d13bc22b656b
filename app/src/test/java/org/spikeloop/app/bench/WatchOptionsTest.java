package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WatchOptionsTest {
    @Test
    void shouldTakeAWatchBatchIntervalOnlyForAWatchBatchedWatcherAndWithinItsBound() {
        assertThat(WatchOptions.watchBatchMs(0, "watch", "lsl")).isZero();
        assertThat(WatchOptions.watchBatchMs(20, "batched", "grpc")).isEqualTo(20);
        assertThat(WatchOptions.watchBatchMs(100, "batched", "grpc")).isEqualTo(100);
        assertThatThrownBy(() -> WatchOptions.watchBatchMs(101, "batched", "grpc"))
                .hasMessage("--watch-batch-ms: 0 (none) to 100, got 101");
        assertThatThrownBy(() -> WatchOptions.watchBatchMs(-1, "batched", "grpc"))
                .hasMessage("--watch-batch-ms: 0 (none) to 100, got -1");
        assertThatThrownBy(() -> WatchOptions.watchBatchMs(20, "watch", "grpc"))
                .hasMessage(
                        "--watch-batch-ms: only for a watcher that calls WatchBatched (--watch-rpc"
                                + " batched, --watch-over grpc), got --watch-rpc watch"
                                + " --watch-over grpc");
        assertThatThrownBy(() -> WatchOptions.watchBatchMs(20, "batched", "lsl"))
                .hasMessageEndingWith("got --watch-rpc batched --watch-over lsl");
    }

    @Test
    void shouldHandTheBenchmarksWatchOptionsToTheExternalWatcherUnchanged() {
        E2eBenchCommand bench = new E2eBenchCommand();
        new CommandLine(bench)
                .parseArgs(
                        "--client-executor",
                        "default",
                        "--watch-rpc",
                        "batched",
                        "--watch-batch-ms",
                        "20",
                        "--watch-over",
                        "grpc");
        bench.watch.validate();
        List<String> args = new ArrayList<>(List.of("--sessions", "s1,s2", "--duration", "10"));
        args.addAll(bench.watch.args());

        E2eWatchCommand child = new E2eWatchCommand();
        new CommandLine(child).parseArgs(args.toArray(String[]::new));

        assertThat(child.watch.args()).isEqualTo(bench.watch.args());
        assertThat(child.watch.clientExecutor).isEqualTo("default");
        assertThat(child.watch.watchBatchMs).isEqualTo(20);
        child.watch.validate();
    }

    @Test
    void shouldDefaultToADirectBatchedGrpcWatcher() {
        E2eWatchCommand child = new E2eWatchCommand();
        new CommandLine(child).parseArgs("--sessions", "s1", "--duration", "10");

        assertThat(child.watch.args())
                .containsExactly(
                        "--client-executor",
                        "direct",
                        "--watch-rpc",
                        "batched",
                        "--watch-batch-ms",
                        "0",
                        "--watch-over",
                        "grpc");
        assertThat(child.watch.overLsl()).isFalse();
    }

    @Test
    void shouldRefuseAnUnknownClientExecutorNamingTheOption() {
        E2eWatchCommand child = new E2eWatchCommand();
        new CommandLine(child)
                .parseArgs("--sessions", "s1", "--duration", "10", "--client-executor", "pool");

        assertThatThrownBy(child.watch::validate)
                .hasMessage("--client-executor: direct or default, got 'pool'");
    }
}
