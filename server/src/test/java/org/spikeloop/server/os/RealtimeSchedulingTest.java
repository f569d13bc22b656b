package org.spikeloop.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Real SCHED_FIFO through libc. Where the process may not raise priorities (no CAP_SYS_NICE, as in
 * a default container) the refusal itself is what is checked: a reason naming EPERM and the thread
 * left under its old policy.
 */
class RealtimeSchedulingTest {
    @Test
    void shouldMakeOnlyTheCallingThreadFifoOrSayWhyNot() throws Exception {
        assumeTrue(Platform.isLinux(), "sched_setscheduler is Linux-only");
        int mine = RealtimeScheduling.currentThreadPolicy();
        AtomicReference<String> refusal = new AtomicReference<>();
        AtomicInteger policy = new AtomicInteger(-2);
        Thread t =
                new Thread(
                        () -> {
                            refusal.set(RealtimeScheduling.setCurrentThreadFifo(1));
                            policy.set(RealtimeScheduling.currentThreadPolicy());
                        });
        t.start();
        t.join();
        if (refusal.get() == null) {
            assertThat(policy.get()).isEqualTo(RealtimeScheduling.SCHED_FIFO);
        } else {
            assertThat(refusal.get()).contains("EPERM").contains("CAP_SYS_NICE");
            assertThat(policy.get()).isEqualTo(RealtimeScheduling.SCHED_OTHER);
        }
        assertThat(RealtimeScheduling.currentThreadPolicy()).isEqualTo(mine);
    }

    @Test
    void shouldRefuseAPriorityOutsideOneToNinetyNine() {
        assertThatThrownBy(() -> RealtimeScheduling.setCurrentThreadFifo(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealtimeScheduling.setCurrentThreadFifo(100))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
