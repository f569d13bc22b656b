package org.spikeloop.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.SessionServiceGrpc;

class MethodRolesTest {
    @Test
    void shouldNeedOnlyViewerForReadsAndWatch() {
        assertThat(
                        MethodRoles.required(
                                SessionServiceGrpc.getListSessionsMethod().getFullMethodName()))
                .isEqualTo(Role.VIEWER);
        assertThat(MethodRoles.required(DecodeServiceGrpc.getWatchMethod().getFullMethodName()))
                .isEqualTo(Role.VIEWER);
        assertThat(
                        MethodRoles.required(
                                LearningServiceGrpc.getGetLearningStateMethod()
                                        .getFullMethodName()))
                .isEqualTo(Role.VIEWER);
    }

    @Test
    void shouldNeedOperatorForControlAndIngest() {
        assertThat(
                        MethodRoles.required(
                                SessionServiceGrpc.getCreateSessionMethod().getFullMethodName()))
                .isEqualTo(Role.OPERATOR);
        assertThat(
                        MethodRoles.required(
                                IngestServiceGrpc.getPushSamplesMethod().getFullMethodName()))
                .isEqualTo(Role.OPERATOR);
        assertThat(
                        MethodRoles.required(
                                LearningServiceGrpc.getRollBackMethod().getFullMethodName()))
                .isEqualTo(Role.OPERATOR);
    }

    @Test
    void shouldLeaveHealthAndReflectionUnprotected() {
        assertThat(MethodRoles.isProtected("grpc.health.v1.Health/Check")).isFalse();
        assertThat(
                        MethodRoles.isProtected(
                                "grpc.reflection.v1.ServerReflection/ServerReflectionInfo"))
                .isFalse();
        assertThat(MethodRoles.isProtected("spikeloop.v1.SessionService/GetSession")).isTrue();
    }
}
