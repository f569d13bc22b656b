/**
 * Checkpoint governance and the live-checkpoint calls: {@link
 * org.spikeloop.server.governance.SessionCheckpoints} snapshots, loads and rolls back a session's
 * weights through the registry (the one place that changes its ACTIVE role), the {@link
 * org.spikeloop.server.governance.Governor} shadow-evaluates the live decoder against its reference
 * on recent labelled data and applies the session's policy (promote, roll back, weight guards),
 * every action audited ({@link org.spikeloop.server.governance.GovernanceAudit}) and counted in the
 * session's {@code GovernanceMetrics}; {@link org.spikeloop.server.governance.GovernanceModule}
 * assembles the registry, jobs and governor for the server.
 *
 * <p>Threads: the governor evaluates on its own low-priority thread ({@code spikeloop-governor});
 * the API's governance calls run on {@code spikeloop-governance}, never a transport thread; a job's
 * success triggers an evaluation on the job's thread. All of it blocks on engine commands (awaited
 * with a timeout, {@link org.spikeloop.server.governance.EngineSessionControl}) and on files: never
 * an engine thread.
 *
 * <p>May import: {@code jobs}, {@code metrics}, {@code registry}, {@code security}, {@code
 * session}, {@link org.spikeloop.server.ServerException}; {@code learn.jobs} (held-out evaluation),
 * {@code snn}. Never {@code grpc}. Imported by {@code grpc} and the application.
 */
package org.spikeloop.server.governance;
