package org.spikeloop.server.governance;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.spikeloop.server.jobs.JobExecutor;
import org.spikeloop.server.jobs.JobHandle;
import org.spikeloop.server.jobs.JobManager;
import org.spikeloop.server.jobs.JobState;
import org.spikeloop.server.jobs.JobTriggers;
import org.spikeloop.server.jobs.RecordingsDirectory;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.security.AuditLog;
import org.spikeloop.server.session.SessionManager;

/**
 * Offline jobs and governance assembled for the server: the checkpoint registry, the bounded job
 * executor, job manager and periodic triggers, the governor (evaluating every governed session
 * periodically, and at once when one of its jobs succeeds), the governance calls the API offers
 * ({@link GovernanceOperations}) and the thread they run on. Built once at server start; {@link
 * #close} stops its threads.
 */
public final class GovernanceModule implements AutoCloseable {
    private final CheckpointRegistry registry;
    private final JobExecutor executor;
    private final JobManager jobs;
    private final JobTriggers triggers;
    private final Governor governor;
    private final ExecutorService work;
    private final RecordingsDirectory recordings;
    private final GovernanceOperations operations;

    /**
     * Settings (defaults in {@link #defaults}).
     *
     * @param registryDir the checkpoint registry directory
     * @param recordingsDir where API clients' recording file names resolve
     * @param jobThreads concurrent jobs
     * @param jobQueue waiting jobs
     * @param threadsPerJob BPTT workers per job
     * @param nice OS nice value of job threads
     * @param evaluationPeriodMs shadow evaluation period of governed sessions
     * @param triggerPollMs how often periodic triggers are checked
     */
    public record Settings(
            Path registryDir,
            Path recordingsDir,
            int jobThreads,
            int jobQueue,
            int threadsPerJob,
            int nice,
            long evaluationPeriodMs,
            long triggerPollMs) {
        /**
         * Registry in {@code checkpointDir/registry}, recordings in {@code
         * checkpointDir/../recordings}.
         */
        public static Settings defaults(Path checkpointDir) {
            Path c = checkpointDir.toAbsolutePath().normalize();
            return new Settings(
                    c.resolve("registry"),
                    c.resolveSibling("recordings"),
                    1,
                    16,
                    1,
                    10,
                    10_000,
                    1_000);
        }
    }

    public GovernanceModule(Settings s, SessionManager sessions, AuditLog audit) {
        this(s, CheckpointRegistry.open(s.registryDir()), sessions, audit);
    }

    /**
     * With the registry already open (the server shares it with its session factory, which creates
     * sessions from registry ids). Listens to {@code sessions}: a session created from a registry
     * id gets it as its ACTIVE checkpoint; a stopped session's rollback history and governance
     * meters are forgotten.
     */
    public GovernanceModule(
            Settings s, CheckpointRegistry registry, SessionManager sessions, AuditLog audit) {
        this.registry = registry;
        this.executor = new JobExecutor(s.jobThreads(), s.jobQueue(), s.threadsPerJob(), s.nice());
        this.jobs = new JobManager(registry, executor, Clock.systemUTC());
        this.triggers = new JobTriggers(s.triggerPollMs());
        this.governor = new Governor(registry, new GovernanceAudit(audit), Clock.systemUTC());
        this.work =
                Executors.newFixedThreadPool(
                        1,
                        r -> {
                            Thread t = new Thread(r, "spikeloop-governance");
                            t.setDaemon(true);
                            return t;
                        });
        jobs.onFinished(this::evaluateAfterJob);
        governor.start(s.evaluationPeriodMs());
        sessions.addListener(new StartingCheckpoint(governor.checkpoints()));
        this.recordings = new RecordingsDirectory(s.recordingsDir());
        this.operations = new GovernanceOperations(governor, sessions, jobs, triggers, recordings);
    }

    private void evaluateAfterJob(JobHandle h) {
        String sid = h.request().sessionId();
        if (h.state() == JobState.SUCCEEDED && governor.governs(sid)) {
            governor.evaluate(sid);
        }
    }

    /** The governance calls the API offers. */
    public GovernanceOperations operations() {
        return operations;
    }

    /**
     * The thread governance calls run on (shadow evaluation and checkpoint I/O block), never a
     * transport thread.
     */
    public Executor workExecutor() {
        return work;
    }

    /** Where API clients' recording file names resolve. */
    public RecordingsDirectory recordings() {
        return recordings;
    }

    public CheckpointRegistry registry() {
        return registry;
    }

    public JobManager jobs() {
        return jobs;
    }

    public Governor governor() {
        return governor;
    }

    @Override
    public void close() throws InterruptedException {
        triggers.close();
        governor.close();
        executor.close();
        work.shutdownNow();
        work.awaitTermination(5, TimeUnit.SECONDS);
    }
}
