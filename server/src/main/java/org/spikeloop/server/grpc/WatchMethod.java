package org.spikeloop.server.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import java.util.ArrayList;
import java.util.List;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.WatchRequest;

/**
 * DecodeService.Watch and WatchBatched with frames that arrive already encoded: the same methods
 * (name, request type, schema descriptor, so reflection and clients see {@code stream DecodedFrame}
 * and {@code stream DecodedFrames}) whose response marshaller streams an {@link EncodedFrame}'s
 * bytes as they are. The other methods of the service stay the generated ones.
 */
final class WatchMethod {
    private WatchMethod() {}

    /** The generated Watch with {@link EncodedFrame#MARSHALLER} for its responses. */
    static MethodDescriptor<WatchRequest, EncodedFrame> descriptor() {
        return encoded(DecodeServiceGrpc.getWatchMethod());
    }

    /** The generated WatchBatched with {@link EncodedFrame#MARSHALLER} for its responses. */
    static MethodDescriptor<WatchRequest, EncodedFrame> batchedDescriptor() {
        return encoded(DecodeServiceGrpc.getWatchBatchedMethod());
    }

    private static MethodDescriptor<WatchRequest, EncodedFrame> encoded(
            MethodDescriptor<WatchRequest, ?> generated) {
        return generated.toBuilder(generated.getRequestMarshaller(), EncodedFrame.MARSHALLER)
                .build();
    }

    /** {@code service} with Watch served by {@code watch} and WatchBatched by {@code batched}. */
    static ServerServiceDefinition replace(
            ServerServiceDefinition service,
            ServerCalls.ServerStreamingMethod<WatchRequest, EncodedFrame> watch,
            ServerCalls.ServerStreamingMethod<WatchRequest, EncodedFrame> batched) {
        return replace(replace(service, descriptor(), watch), batchedDescriptor(), batched);
    }

    private static ServerServiceDefinition replace(
            ServerServiceDefinition service,
            MethodDescriptor<WatchRequest, EncodedFrame> method,
            ServerCalls.ServerStreamingMethod<WatchRequest, EncodedFrame> handler) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor =
                ServiceDescriptor.newBuilder(original.getName())
                        .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            if (m.getMethodDescriptor().getFullMethodName().equals(method.getFullMethodName())) {
                methods.add(
                        ServerMethodDefinition.create(
                                method, ServerCalls.asyncServerStreamingCall(handler)));
            } else {
                methods.add(m);
            }
        }
        ServerServiceDefinition.Builder b =
                ServerServiceDefinition.builder(build(descriptor, methods));
        for (ServerMethodDefinition<?, ?> m : methods) {
            b.addMethod(m);
        }
        return b.build();
    }

    private static ServiceDescriptor build(
            ServiceDescriptor.Builder descriptor, List<ServerMethodDefinition<?, ?>> methods) {
        for (ServerMethodDefinition<?, ?> m : methods) {
            descriptor.addMethod(m.getMethodDescriptor());
        }
        return descriptor.build();
    }
}
