package org.spikeloop.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open Server-Sent Events response. {@link #send} never waits: when the connection's outbound
 * buffer is above its high-water mark (the browser does not read, or reads slower than events
 * come), the event is dropped and counted, so a slow or stuck browser costs the sender nothing but
 * the check. The buffer is bounded by the listener ({@link HttpServer#EVENT_STREAM_BUFFER_BYTES}).
 *
 * <p>Threading: {@link #send} and {@link #close} from any thread (Netty hands the write to the
 * connection's event loop, in the order the sending thread made them).
 */
public final class EventStream {
    private final Channel channel;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    EventStream(Channel channel) {
        this.channel = channel;
    }

    /**
     * Sends one event ({@code event: name} and one {@code data:} line; {@code data} must not hold a
     * line break, which JSON from the page's encoders never does).
     *
     * @return false when the event was dropped (connection closed, or its buffer full)
     */
    public boolean send(String name, String data) {
        if (!channel.isActive()) {
            return false;
        }
        if (!channel.isWritable()) {
            dropped.incrementAndGet();
            return false;
        }
        String text = "event: " + name + "\ndata: " + data + "\n\n";
        channel.writeAndFlush(
                new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        sent.incrementAndGet();
        return true;
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** Runs {@code action} once the connection closes (at once if it is closed). */
    public void onClose(Runnable action) {
        channel.closeFuture().addListener(f -> action.run());
    }

    /** Ends the response and closes the connection. */
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                    .addListener(f -> channel.close());
        }
    }

    /** Events written so far. */
    public long sent() {
        return sent.get();
    }

    /** Events dropped so far because the connection's buffer was full. */
    public long dropped() {
        return dropped.get();
    }
}
