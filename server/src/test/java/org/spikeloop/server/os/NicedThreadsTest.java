package org.spikeloop.server.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NicedThreadsTest {
    private static int niceOfNewThread(ThreadFactory f) throws InterruptedException {
        AtomicInteger seen = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = f.newThread(() -> seen.set(ThreadNice.currentThreadNice()));
        t.start();
        t.join();
        return seen.get();
    }

    @Test
    void shouldRunEachThreadAtTheGivenNicenessAndLeaveTheCallerAlone() throws Exception {
        assumeTrue(Platform.isLinux(), "niceness per thread is Linux's");
        int before = ThreadNice.currentThreadNice();
        assumeTrue(before < 10, "the tests run below niceness 10");
        ThreadFactory named = r -> new Thread(r, "niced-test");
        assertThat(niceOfNewThread(NicedThreads.of(named, 10))).isEqualTo(10);
        assertThat(niceOfNewThread(NicedThreads.of(named, 0))).isEqualTo(before);
        assertThat(ThreadNice.currentThreadNice()).isEqualTo(before);
    }

    @Test
    void shouldRefuseANicenessOutsideZeroToNineteen() {
        ThreadFactory named = r -> new Thread(r, "niced-test");
        assertThatThrownBy(() -> NicedThreads.of(named, -1)).hasMessage("niceness: 0-19, got -1");
        assertThatThrownBy(() -> NicedThreads.of(named, 20)).hasMessage("niceness: 0-19, got 20");
    }
}
