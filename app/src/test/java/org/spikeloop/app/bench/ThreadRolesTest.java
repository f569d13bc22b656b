package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadRolesTest {
    @Test
    void shouldTellTheRoleOfEachThreadTheServerNamesByItsName() {
        assertThat(ThreadRoles.role("spikeloop-engines-0")).isEqualTo("engine");
        assertThat(ThreadRoles.role("spikeloop-delivery")).isEqualTo("delivery");
        assertThat(ThreadRoles.role("spikeloop-publishers")).isEqualTo("delivery");
        assertThat(ThreadRoles.role("grpc-default-worker-ELG-3-1")).isEqualTo("delivery");
        assertThat(ThreadRoles.role("spikeloop-lsl-sources")).isEqualTo("lsl");
        assertThat(ThreadRoles.role("xdf-recorder")).isEqualTo("recording");
        assertThat(ThreadRoles.role("spikeloop-metrics-http")).isEqualTo("metrics");
        assertThat(ThreadRoles.role("spikeloop-http-handler")).isEqualTo("metrics");
        assertThat(ThreadRoles.role("spikeloop-page-status")).isEqualTo("metrics");
        assertThat(ThreadRoles.role("bench-page-client-3")).isEqualTo("bench");
        // the harness's Prometheus stand-in, which an earlier list charged to the server ("other")
        assertThat(ThreadRoles.role("bench-metrics-scraper")).isEqualTo("bench");
        assertThat(ThreadRoles.role("grpc-default-executor-0")).isEqualTo("control");
        // the server's own transport threads (GrpcTransport.EventLoops, the call executors) and
        // its per-session agents, which an earlier list left as "other"
        assertThat(ThreadRoles.role("spikeloop-grpc-io-3-1")).isEqualTo("delivery");
        assertThat(ThreadRoles.role("spikeloop-publisher-2")).isEqualTo("delivery");
        assertThat(ThreadRoles.role("spikeloop-decisions-s-1")).isEqualTo("delivery");
        assertThat(ThreadRoles.role("spikeloop-grpc-boss-2-1")).isEqualTo("control");
        assertThat(ThreadRoles.role("spikeloop-rpc-4")).isEqualTo("control");
        assertThat(ThreadRoles.role("spikeloop-rpc-control-1")).isEqualTo("control");
        assertThat(ThreadRoles.role("spikeloop-engine-monitor")).isEqualTo("control");
        assertThat(ThreadRoles.role("spikeloop-recorder-1")).isEqualTo("recording");
        assertThat(ThreadRoles.role("spikeloop-trial-recorder-1")).isEqualTo("recording");
        assertThat(ThreadRoles.role("C2 CompilerThread0")).isEqualTo("jvm");
        assertThat(ThreadRoles.role("e2e-probe")).isEqualTo("bench");
        assertThat(ThreadRoles.role("something-else")).isEqualTo("other");
    }

    @Test
    void shouldChargeWhatAThreadAllocatesToItsRole() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        long[][] keep = new long[1000][];
        Thread t =
                new Thread(
                        () -> {
                            started.countDown();
                            await(go);
                            for (int i = 0; i < keep.length; i++) {
                                keep[i] = new long[128]; // ~1 MiB
                            }
                            allocated.countDown();
                            await(done); // alive while the second snapshot is taken
                        },
                        "xdf-recorder-test");
        t.start();
        started.await();
        ThreadRoles.Snapshot before = ThreadRoles.snapshot();
        go.countDown();
        allocated.await();
        ThreadRoles.Snapshot after = ThreadRoles.snapshot();
        done.countDown();
        t.join();
        Map<String, Long> roles = after.bytesSince(before);
        assertThat(roles).containsOnlyKeys(ThreadRoles.ROLES);
        assertThat(roles.get("recording")).isGreaterThan(1_000L * 128 * 8);
        assertThat(after.bytesSince(after).values()).containsOnly(0L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
