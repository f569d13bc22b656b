package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.GovernanceServiceGrpc;
import org.spikeloop.proto.v1.JobServiceGrpc;
import org.spikeloop.proto.v1.ListJobsRequest;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SubmitJobRequest;
import org.spikeloop.server.config.ServerConfig;

/**
 * The module as the server wires it: JobService and GovernanceService behind the server's token
 * check and roles, in its health service, with the registry under the checkpoint directory.
 */
class GovernanceModuleTest {
    static final String OPERATOR = "operator-token-0123456789";
    static final String VIEWER = "viewer-token-0123456789ab";

    @TempDir Path dir;

    @Test
    void shouldServeJobsAndGovernanceWithRolesAndHealth() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice operator " + OPERATOR + "\nbob viewer " + VIEWER + "\n");
        Properties p = new Properties();
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", dir.resolve("session-recordings").toString());
        p.setProperty("auth.tokensFile", tokens.toString());
        String name = InProcessServerBuilder.generateName();
        try (SpikeloopApplication app =
                SpikeloopApplication.start(
                        ServerConfig.apply(ServerConfig.defaults(), p),
                        InProcessServerBuilder.forName(name))) {
            ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
            try {
                assertThat(app.governance().registry().dir())
                        .isEqualTo(dir.resolve("checkpoints").resolve("registry").toAbsolutePath());
                for (String service :
                        new String[] {
                            JobServiceGrpc.SERVICE_NAME, GovernanceServiceGrpc.SERVICE_NAME
                        }) {
                    assertThat(
                                    HealthGrpc.newBlockingStub(ch)
                                            .check(
                                                    HealthCheckRequest.newBuilder()
                                                            .setService(service)
                                                            .build())
                                            .getStatus())
                            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                }
                JobServiceGrpc.JobServiceBlockingStub viewer =
                        withToken(JobServiceGrpc.newBlockingStub(ch), VIEWER);
                assertThat(viewer.listJobs(ListJobsRequest.getDefaultInstance()).getJobsCount())
                        .isZero();
                assertCode(
                        () ->
                                viewer.submitJob(
                                        SubmitJobRequest.newBuilder()
                                                .addRecordings("x.xdf")
                                                .build()),
                        Status.Code.PERMISSION_DENIED);
                assertCode(
                        () ->
                                JobServiceGrpc.newBlockingStub(ch)
                                        .listJobs(ListJobsRequest.getDefaultInstance()),
                        Status.Code.UNAUTHENTICATED);
                assertCode(
                        () ->
                                withToken(GovernanceServiceGrpc.newBlockingStub(ch), VIEWER)
                                        .evaluateNow(
                                                SessionId.newBuilder().setSessionId("s").build()),
                        Status.Code.PERMISSION_DENIED);
                // An operator reaches the service (and gets its answer about the unknown session).
                assertCode(
                        () ->
                                withToken(GovernanceServiceGrpc.newBlockingStub(ch), OPERATOR)
                                        .evaluateNow(
                                                SessionId.newBuilder().setSessionId("s").build()),
                        Status.Code.INVALID_ARGUMENT);
            } finally {
                ch.shutdownNow();
            }
        }
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata h = new Metadata();
        h.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    private static void assertCode(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
