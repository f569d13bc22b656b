package org.spikeloop.adapters.lsl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The native memory one inlet's chunked pulls write into ({@link LslChunkNative}): data and time
 * stamps grown to the largest chunk asked for, the error code, and for string pulls the {@code
 * char*} slots and lengths liblsl fills. Reused across pulls, so a poll allocates nothing once the
 * buffers have their size.
 *
 * <p>Threading: owned by the inlet's pulling thread.
 */
final class PullBuffers {
    private final Memory ec = new Memory(Integer.BYTES);
    private Memory data;
    private Memory stamps;
    private Memory strings; // char* per element (LP64: 8 bytes)
    private Memory lengths; // uint32_t per element
    private long stringSlots;

    /** Data memory of at least {@code bytes}. */
    Memory data(long bytes) {
        if (data == null || data.size() < bytes) {
            data = new Memory(bytes);
        }
        return data;
    }

    /** The data memory of the last pull. */
    Memory data() {
        return data;
    }

    /** Time-stamp memory for at least {@code samples}. */
    Memory stamps(int samples) {
        long bytes = (long) samples * Double.BYTES;
        if (stamps == null || stamps.size() < bytes) {
            stamps = new Memory(bytes);
        }
        return stamps;
    }

    /** The error-code cell, cleared for the next call. */
    Memory clearedErrorCode() {
        ec.setInt(0, 0);
        return ec;
    }

    int errorCode() {
        return ec.getInt(0);
    }

    /** Copies the first {@code samples} time stamps written by the last pull. */
    void readStamps(double[] timestamps, int samples) {
        stamps.read(0, timestamps, 0, samples);
    }

    /**
     * {@code char*} slots for {@code elements} strings, all null, and as many lengths ({@link
     * #stringLengths()}); the slots the next pull fills are freed by {@link #destroyStrings()}.
     */
    Memory clearedStringSlots(long elements) {
        long bytes = elements * Long.BYTES;
        if (strings == null || strings.size() < bytes) {
            strings = new Memory(bytes);
            lengths = new Memory(elements * Integer.BYTES);
        }
        strings.clear(bytes);
        stringSlots = elements;
        return strings;
    }

    /** The lengths of the strings in the slots of {@link #clearedStringSlots}. */
    Memory stringLengths() {
        return lengths;
    }

    /** The string in slot {@code i} (UTF-8, its length as liblsl gave it, so NUL survives). */
    String string(int i) {
        long address = strings.getLong((long) i * Long.BYTES);
        int length = lengths.getInt((long) i * Integer.BYTES);
        if (address == 0 || length == 0) {
            return "";
        }
        return new String(new Pointer(address).getByteArray(0, length), StandardCharsets.UTF_8);
    }

    /**
     * Frees every string liblsl put in the slots (not only the elements written) and nulls them.
     */
    void destroyStrings() {
        for (long i = 0; i < stringSlots; i++) {
            long address = strings.getLong(i * Long.BYTES);
            if (address != 0) {
                strings.setLong(i * Long.BYTES, 0);
                LslChunkNative.lsl_destroy_string(address);
            }
        }
        stringSlots = 0;
    }

    /** Forgets the slots without freeing them (a failed pull: liblsl freed what it allocated). */
    void abandonStrings() {
        strings.clear(stringSlots * Long.BYTES);
        stringSlots = 0;
    }
}
