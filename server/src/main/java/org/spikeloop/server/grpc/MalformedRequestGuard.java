package org.spikeloop.server.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;

/**
 * Answers a request that does not parse as its protobuf type with INVALID_ARGUMENT naming the
 * method, instead of grpc-java's generic UNKNOWN "Application error processing RPC": each method's
 * request marshaller is wrapped to yield null on a parse failure, and the call is closed when that
 * null arrives. The service's schema descriptor is kept, so reflection is unchanged.
 */
final class MalformedRequestGuard {
    private MalformedRequestGuard() {}

    static ServerServiceDefinition guard(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor =
                ServiceDescriptor.newBuilder(original.getName())
                        .setSchemaDescriptor(original.getSchemaDescriptor());
        java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            ServerMethodDefinition<?, ?> g = guard(m);
            descriptor.addMethod(g.getMethodDescriptor());
            methods.add(g);
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition<?, ?> m : methods) {
            b.addMethod(m);
        }
        return b.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> guard(ServerMethodDefinition<Q, R> m) {
        MethodDescriptor<Q, R> md = m.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> inner = md.getRequestMarshaller();
        MethodDescriptor<Q, R> guarded =
                md.toBuilder()
                        .setRequestMarshaller(
                                new MethodDescriptor.Marshaller<Q>() {
                                    @Override
                                    public InputStream stream(Q value) {
                                        return inner.stream(value);
                                    }

                                    @Override
                                    public Q parse(InputStream stream) {
                                        try {
                                            return inner.parse(stream);
                                        } catch (RuntimeException e) {
                                            return null; // closed with INVALID_ARGUMENT below
                                        }
                                    }
                                })
                        .build();
        ServerCallHandler<Q, R> handler = m.getServerCallHandler();
        String method = md.getFullMethodName();
        return ServerMethodDefinition.create(
                guarded,
                (call, headers) -> new Listener<>(handler.startCall(call, headers), call, method));
    }

    private static final class Listener<Q, R>
            extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final ServerCall<Q, R> call;
        private final String method;
        private boolean refused;

        Listener(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, String method) {
            super(delegate);
            this.call = call;
            this.method = method;
        }

        @Override
        public void onMessage(Q message) {
            if (refused) {
                return;
            }
            if (message == null) {
                refused = true;
                call.close(
                        Status.INVALID_ARGUMENT.withDescription(
                                "malformed request: the message does not parse as the request type of "
                                        + method),
                        new Metadata());
                return;
            }
            super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                super.onHalfClose();
            }
        }
    }
}
