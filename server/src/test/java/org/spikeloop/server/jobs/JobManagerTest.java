package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.RegistryEntry;

class JobManagerTest {
    @TempDir Path dir;
    BreakableClock registryClock = new BreakableClock();
    CheckpointRegistry registry;
    RegistryEntry start;
    Path recording;
    JobExecutor executor;
    JobManager jobs;

    @BeforeEach
    void setUp() throws Exception {
        registry = CheckpointRegistry.open(dir.resolve("registry"), registryClock);
        start = RigRecordings.registerStart(registry);
        recording = dir.resolve("rec.xdf");
        RigRecordings.write(recording, 8.0, 7, 0);
        executor = new JobExecutor(1, 2, 1, 10);
        jobs = new JobManager(registry, executor, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.close();
    }

    /** The system clock until {@link #failure} is set; then every read throws it. */
    static final class BreakableClock extends Clock {
        volatile Error failure;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            Error f = failure;
            if (f != null) {
                throw f;
            }
            return Instant.now();
        }
    }

    private TrainingJobRequest request(String session, Path rec) {
        return new TrainingJobRequest(
                session,
                List.of(rec),
                RigRecordings.SPIKES,
                RigRecordings.KINEMATICS,
                Double.NaN,
                Double.NaN,
                null,
                start.id(),
                0.25,
                250,
                2,
                "alice");
    }

    @Test
    void shouldStreamQueuedRunningEpochsAndSucceededToAWatcher() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        JobHandle h = jobs.submit(request("s1", recording));
        h.watch(
                e -> {
                    events.add(e);
                    if (e.state().terminal()) {
                        done.countDown();
                    }
                });
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        assertThat(events.get(0).state()).isEqualTo(JobState.QUEUED);
        assertThat(events.get(1).state()).isEqualTo(JobState.RUNNING);
        assertThat(events.stream().filter(e -> e.progress() != null)).isNotEmpty();
        JobEvent last = events.get(events.size() - 1);
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(last.message()).isEqualTo(h.result().checkpoint().id());
        assertThat(jobs.list("s1")).containsExactly(h);
        assertThat(jobs.busy("s1")).isFalse();
    }

    @Test
    void shouldReportAFailedJobWithTheReason() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        JobHandle h = jobs.submit(request("s1", dir.resolve("missing.xdf")));
        h.watch(
                e -> {
                    if (e.state().terminal()) done.countDown();
                });
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(h.state()).isEqualTo(JobState.FAILED);
        assertThat(h.error()).contains("does not exist");
    }

    @Test
    void shouldCancelARunningJobAndAQueuedOne() throws Exception {
        CountDownLatch firstEpoch = new CountDownLatch(1);
        CountDownLatch bothDone = new CountDownLatch(2);
        JobHandle a = jobs.submit(request("s1", recording));
        JobHandle b = jobs.submit(request("s2", recording));
        // a is cancelled from its first progress event, on the job thread, so the cancellation is
        // there before the next mini-batch; cancelled from the test thread after the event, the
        // job could finish its last epoch first and end SUCCEEDED.
        a.watch(
                e -> {
                    if (e.progress() != null && firstEpoch.getCount() > 0) {
                        jobs.cancel(a.id());
                        firstEpoch.countDown();
                    }
                    if (e.state().terminal()) bothDone.countDown();
                });
        b.watch(
                e -> {
                    if (e.state().terminal()) bothDone.countDown();
                });
        jobs.cancel(b.id());
        assertThat(firstEpoch.await(120, TimeUnit.SECONDS)).isTrue();
        assertThat(bothDone.await(120, TimeUnit.SECONDS)).isTrue();
        assertThat(a.state()).isEqualTo(JobState.CANCELLED);
        assertThat(b.state()).isEqualTo(JobState.CANCELLED);
        assertThat(b.error()).contains("before it started");
        assertThat(registry.roles("s1").reference()).isNull();
    }

    @Test
    void shouldRefuseWhenTheQueueIsFull() {
        jobs.submit(request("s1", recording));
        jobs.submit(request("s2", recording));
        jobs.submit(request("s3", recording));
        assertThatThrownBy(() -> jobs.submit(request("s4", recording)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("queue is full");
        jobs.list("").forEach(h -> jobs.cancel(h.id()));
    }

    /**
     * Holds the one job thread, submits a job and cancels it while it is queued: it finishes
     * CANCELLED as soon as the thread is free, without training.
     */
    private JobHandle submitAndCancelWhileQueued(String session) {
        CountDownLatch gate = holdTheJobThread();
        JobHandle h = jobs.submit(request(session, recording));
        jobs.cancel(h.id());
        gate.countDown();
        return h;
    }

    /** Occupies the one job thread until the returned latch is counted down. */
    private CountDownLatch holdTheJobThread() {
        CountDownLatch gate = new CountDownLatch(1);
        executor.execute(
                () -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        return gate;
    }

    /** What one class's logger logs while open. */
    private static final class LogCapture implements AutoCloseable {
        private final Logger log;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture(Class<?> of) {
            log = (Logger) LoggerFactory.getLogger(of);
            appender.start();
            log.addAppender(appender);
        }

        List<ILoggingEvent> lines() {
            synchronized (appender) {
                return List.copyOf(appender.list);
            }
        }

        @Override
        public void close() {
            log.detachAppender(appender);
        }
    }

    @Test
    void shouldRunEveryFinishListenerAndLogWhatEachThrewAnErrorToo() throws Exception {
        try (LogCapture logged = new LogCapture(JobManager.class)) {
            List<String> ran = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            CountDownLatch last = new CountDownLatch(1);
            jobs.onFinished(
                    x -> {
                        ran.add("error");
                        throw new AssertionError("listener broke on " + x.id());
                    });
            jobs.onFinished(
                    x -> {
                        ran.add("runtime");
                        throw new IllegalStateException("listener failed on " + x.id());
                    });
            jobs.onFinished(
                    x -> {
                        ran.add("last");
                        threads.add(Thread.currentThread());
                        last.countDown();
                    });
            JobHandle h = submitAndCancelWhileQueued("s1");

            assertThat(last.await(10, TimeUnit.SECONDS))
                    .as("the listener after the two that threw ran")
                    .isTrue();
            assertThat(ran).containsExactly("error", "runtime", "last");
            assertThat(h.state()).isEqualTo(JobState.CANCELLED);
            assertThat(logged.lines())
                    .anySatisfy(listenerFailure(Level.ERROR, h, AssertionError.class))
                    .anySatisfy(listenerFailure(Level.WARN, h, IllegalStateException.class));

            // The job thread survived its listeners: the next job finishes on the same one.
            CountDownLatch next = new CountDownLatch(1);
            jobs.onFinished(x -> next.countDown());
            JobHandle h2 = submitAndCancelWhileQueued("s2");
            assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(h2.state()).isEqualTo(JobState.CANCELLED);
            assertThat(threads).hasSize(2);
            assertThat(threads.get(1)).as("the pool worker").isSameAs(threads.get(0));
        }
    }

    @Test
    void shouldSucceedAJobWhoseWatcherThrowsAndDropThatWatcher() throws Exception {
        // A watcher observes the job: its failure (here an AssertionError at every live epoch)
        // must not fail the job, nor keep the other watchers from the job's events.
        try (LogCapture logged = new LogCapture(JobHandle.class)) {
            // Hold the one job thread until both watchers are on, so they see the job's epochs
            // live.
            CountDownLatch gate = holdTheJobThread();
            JobHandle h = jobs.submit(request("s1", recording));
            Thread test = Thread.currentThread();
            List<JobEvent> broken = new CopyOnWriteArrayList<>();
            h.watch(
                    e -> {
                        broken.add(e);
                        if (e.progress() != null && Thread.currentThread() != test) {
                            throw new AssertionError(
                                    "watcher broke at epoch " + e.progress().epoch());
                        }
                    });
            CountDownLatch done = new CountDownLatch(1);
            List<JobEvent> events = new CopyOnWriteArrayList<>();
            h.watch(
                    e -> {
                        events.add(e);
                        if (e.state().terminal()) done.countDown();
                    });
            gate.countDown();

            assertThat(done.await(120, TimeUnit.SECONDS)).as("the job ends").isTrue();
            assertThat(h.state()).as(h.error()).isEqualTo(JobState.SUCCEEDED);
            assertThat(registry.roles("s1").reference()).isEqualTo(h.result().checkpoint().id());
            assertThat(events.stream().filter(e -> e.progress() != null)).hasSizeGreaterThan(1);
            JobEvent last = events.get(events.size() - 1);
            assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(broken.get(broken.size() - 1).progress())
                    .as("the broken watcher's last event: the first epoch, then it was dropped")
                    .isNotNull()
                    .extracting(p -> p.epoch())
                    .isEqualTo(1);
            assertThat(logged.lines())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                                assertThat(e.getFormattedMessage())
                                        .contains(h.id())
                                        .contains("watcher broke at epoch 1");
                            });
        }
    }

    @Test
    void shouldFailAJobThatThrowsAnErrorCompleteItsWatchersAndFreeItsSession() throws Exception {
        // An Error on the job thread, out of the job's own work: here an AssertionError from the
        // registry's clock, which the job reads when it registers the checkpoint it trained.
        try (LogCapture logged = new LogCapture(JobManager.class)) {
            List<JobHandle> finished = new CopyOnWriteArrayList<>();
            CountDownLatch notified = new CountDownLatch(1);
            jobs.onFinished(
                    x -> {
                        finished.add(x);
                        notified.countDown();
                    });
            registryClock.failure = new AssertionError("the registry's clock broke");
            JobHandle h = jobs.submit(request("s1", recording));
            CountDownLatch done = new CountDownLatch(1);
            List<JobEvent> events = new CopyOnWriteArrayList<>();
            h.watch(
                    e -> {
                        events.add(e);
                        if (e.state().terminal()) done.countDown();
                    });

            assertThat(done.await(60, TimeUnit.SECONDS)).as("the watcher's stream ends").isTrue();
            assertThat(h.state()).isEqualTo(JobState.FAILED);
            assertThat(h.error()).isEqualTo("java.lang.AssertionError: the registry's clock broke");
            assertThat(events.stream().filter(e -> e.progress() != null))
                    .as("it failed after training")
                    .isNotEmpty();
            JobEvent last = events.get(events.size() - 1);
            assertThat(last.state()).isEqualTo(JobState.FAILED);
            assertThat(last.message()).isEqualTo(h.error());
            assertThat(jobs.busy("s1")).as("a periodic trigger may submit again").isFalse();
            assertThat(notified.await(10, TimeUnit.SECONDS)).as("finish listeners told").isTrue();
            assertThat(finished).containsExactly(h);
            assertThat(registry.roles("s1").reference()).isNull();
            assertThat(logged.lines())
                    .anySatisfy(
                            e -> {
                                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                                assertThat(e.getFormattedMessage())
                                        .contains(h.id())
                                        .contains("AssertionError");
                                assertThat(e.getThrowableProxy()).isNotNull();
                            });
        }
    }

    /** The log line of a finish listener of job {@code h} that threw {@code thrown}. */
    private static Consumer<ILoggingEvent> listenerFailure(
            Level level, JobHandle h, Class<? extends Throwable> thrown) {
        return e -> {
            assertThat(e.getLevel()).isEqualTo(level);
            assertThat(e.getFormattedMessage()).contains(h.id()).contains("finish listener");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(thrown.getName());
        };
    }
}
