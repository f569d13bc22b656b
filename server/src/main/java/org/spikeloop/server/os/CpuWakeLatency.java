package org.spikeloop.server.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A request to Linux's CPU power-management QoS that idle CPUs wake within {@code microseconds}
 * ({@code /dev/cpu_dma_latency}: a process writes a 32-bit value and keeps the file open; the
 * kernel keeps the smallest open request and drops it when the file is closed). At 0 the idle
 * governor keeps idle CPUs polling instead of halting them.
 *
 * <p>Why: an engine parks between samples, and its wake-up is only as quick as its CPU leaving
 * idle. On the 2-core virtual machine of docs/benchmarks.md a halted virtual CPU woke so late that
 * an idle real-time thread missed a 1-ms deadline ≈ 500 times a minute; with 0 requested, 24–82
 * times, and one session's end-to-end p99 fell from 1.6–1.8 ms to 0.47–0.66 ms. The price is idle
 * CPUs that spin instead of sleeping, so the server holds it only while sessions decode ({@code
 * session.CpuWakeLatencyWhileDecoding}).
 *
 * <p>Opening the file needs write access to it (root, or a rule that grants it): without it the
 * request is refused with the reason, never an exception. Threading: control plane.
 */
public final class CpuWakeLatency implements AutoCloseable {
    /** Linux's CPU latency QoS device. */
    public static final Path DEVICE = Path.of("/dev/cpu_dma_latency");

    private final FileChannel request;
    private final String refusal;

    private CpuWakeLatency(FileChannel request, String refusal) {
        this.request = request;
        this.refusal = refusal;
    }

    /** Asks {@link #DEVICE} for {@code microseconds} (≥ 0); see {@link #refusal} if it failed. */
    public static CpuWakeLatency request(int microseconds) {
        return request(DEVICE, microseconds);
    }

    /** {@link #request(int)} through {@code device} (another path: a test's file). */
    public static CpuWakeLatency request(Path device, int microseconds) {
        if (microseconds < 0) {
            throw new IllegalArgumentException("wake-up latency: >= 0 us, got " + microseconds);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(device, StandardOpenOption.WRITE);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return new CpuWakeLatency(null, "cannot open " + device + " for writing: " + e);
        }
        ByteBuffer value = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder());
        value.putInt(0, microseconds);
        try {
            while (value.hasRemaining()) {
                channel.write(value);
            }
            return new CpuWakeLatency(channel, null);
        } catch (IOException e) {
            String why = "cannot write to " + device + ": " + e;
            try {
                channel.close();
            } catch (IOException closing) {
                why += " (closing it failed too: " + closing + ")";
            }
            return new CpuWakeLatency(null, why);
        }
    }

    /** Whether the request is in force (until {@link #close}). */
    public boolean held() {
        return request != null && request.isOpen();
    }

    /** Why the request was refused, or null if it was made. */
    public String refusal() {
        return refusal;
    }

    /** Withdraws the request. */
    @Override
    public void close() throws IOException {
        if (request != null) {
            request.close();
        }
    }
}
