package org.spikeloop.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimerSlackTest {
    @Test
    void shouldSetOnlyTheCallingThreadsSlack() throws Exception {
        assumeTrue(Platform.isLinux(), "prctl is Linux-only");
        long mine = TimerSlack.currentThread();
        AtomicLong inThread = new AtomicLong();
        Thread t = new Thread(() -> inThread.set(TimerSlack.setCurrentThread(2_000)));
        t.start();
        t.join();
        assertThat(inThread.get()).isEqualTo(2_000);
        assertThat(TimerSlack.currentThread()).isEqualTo(mine);
    }
}
