package org.spikeloop.server.grpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One DecodedFrame already in its protobuf wire form ({@link DecodedFrameEncoder}), handed to gRPC
 * as the message of the Watch stream ({@link #MARSHALLER} gives the bytes back as they are): the
 * watcher's buffer is written once per frame and reused, instead of a message, a builder and a
 * coded stream per frame.
 *
 * <p>Ownership: gRPC reads a message's stream before {@code onNext} returns on its Netty transport
 * (the framer drains it into its own buffer and closes it), so the buffer is free again at once
 * ({@link #released}). A transport that keeps the stream to read it later (the in-process one hands
 * it to the client's thread) leaves it unreleased; the sink then encodes the next frame into a new
 * buffer and leaves this one to the transport.
 *
 * <p>Threading: written by the delivery thread; read by the transport (the same thread on Netty).
 */
final class EncodedFrame extends InputStream implements KnownLength, Drainable {
    /** Streams a frame's bytes; the server never parses a DecodedFrame. */
    static final MethodDescriptor.Marshaller<EncodedFrame> MARSHALLER =
            new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(EncodedFrame frame) {
                    return frame;
                }

                @Override
                public EncodedFrame parse(InputStream stream) {
                    throw new UnsupportedOperationException(
                            "the server sends DecodedFrames; it never parses one");
                }
            };

    private final byte[] bytes;
    private int length;
    private volatile int position; // the transport's reads are published to the writer
    private volatile boolean closed;

    /** A buffer for frames of up to {@code capacityBytes} encoded bytes. */
    EncodedFrame(int capacityBytes) {
        this.bytes = new byte[capacityBytes];
        this.position = capacityBytes; // nothing to read: free
        this.length = capacityBytes;
    }

    /** The buffer to encode into (then {@link #ready}). */
    byte[] buffer() {
        return bytes;
    }

    /** Makes the first {@code encodedBytes} bytes of the buffer the message to read. */
    EncodedFrame ready(int encodedBytes) {
        this.length = encodedBytes;
        this.closed = false;
        this.position = 0;
        return this;
    }

    /** Whether the transport has read (or closed) the message, so the buffer may be rewritten. */
    boolean released() {
        return closed || position >= length;
    }

    @Override
    public int available() {
        return length - position;
    }

    @Override
    public int read() {
        int p = position;
        if (p >= length) {
            return -1;
        }
        position = p + 1;
        return bytes[p] & 0xff;
    }

    @Override
    public int read(byte[] dst, int offset, int len) {
        int p = position;
        int n = Math.min(len, length - p);
        if (n <= 0) {
            return len == 0 ? 0 : -1;
        }
        System.arraycopy(bytes, p, dst, offset, n);
        position = p + n;
        return n;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
        int p = position;
        int n = length - p;
        target.write(bytes, p, n);
        position = length;
        return n;
    }

    @Override
    public void close() {
        closed = true;
    }
}
