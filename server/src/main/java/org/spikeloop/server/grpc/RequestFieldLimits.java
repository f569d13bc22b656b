package org.spikeloop.server.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Caps the size of every string in every spikeloop.v1 request before a service sees it, so that a
 * 3.9 MB session name cannot become a 3.9 MB audit line, a ListSessions answer clients cannot
 * receive, or an error message that echoes it: ids ({@code id}, {@code *_id}, {@code checkpoint})
 * to {@code limits.maxIdChars}, every other string (names, types, cues, reasons, file names) to
 * {@code limits.maxNameChars}; {@code config_json}, a document, is bounded by {@code
 * limits.maxMessageBytes} alone. Nested messages and map entries are walked; numeric fields are not
 * touched (an ingest chunk's samples are never read here). A request over a cap is INVALID_ARGUMENT
 * naming the field path and both lengths, never echoing the value.
 *
 * <p>Threading: stateless; runs on the transport's threads, once per request message.
 */
public final class RequestFieldLimits implements ServerInterceptor {
    private final int maxIdChars;
    private final int maxNameChars;

    public RequestFieldLimits(int maxIdChars, int maxNameChars) {
        this.maxIdChars = maxIdChars;
        this.maxNameChars = maxNameChars;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getFullMethodName().startsWith("spikeloop.v1.")) {
            return next.startCall(call, headers);
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                String violation = message instanceof Message m ? check(m, "") : null;
                if (violation != null) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription(violation), new Metadata());
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
        };
    }

    /** The first string over its cap in {@code m}, described, or null. */
    String check(Message m, String prefix) {
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            String path = prefix + f.getName();
            if (f.getJavaType() == FieldDescriptor.JavaType.STRING) {
                if (f.getName().equals("config_json")) {
                    continue;
                }
                int cap = isId(f.getName()) ? maxIdChars : maxNameChars;
                String key = isId(f.getName()) ? "limits.maxIdChars" : "limits.maxNameChars";
                if (f.isRepeated()) {
                    for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
                        String v = (String) m.getRepeatedField(f, i);
                        if (v.length() > cap) {
                            return tooLong(path + "[" + i + "]", v.length(), cap, key);
                        }
                    }
                } else if (m.hasField(f) || !f.hasPresence()) {
                    String v = (String) m.getField(f);
                    if (v.length() > cap) {
                        return tooLong(path, v.length(), cap, key);
                    }
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (f.isRepeated()) {
                    for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
                        String v = check((Message) m.getRepeatedField(f, i), path + "[" + i + "].");
                        if (v != null) {
                            return v;
                        }
                    }
                } else if (m.hasField(f)) {
                    String v = check((Message) m.getField(f), path + ".");
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    private static boolean isId(String field) {
        return field.equals("id") || field.endsWith("_id") || field.equals("checkpoint");
    }

    private static String tooLong(String path, int length, int cap, String key) {
        return path + ": " + length + " characters, at most " + cap + " (" + key + ")";
    }
}
