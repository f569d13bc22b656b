package org.spikeloop.snn.checkpoint;

/**
 * How a checkpoint stores tensor values: IEEE 754 little-endian float32 or float64. Parameters are
 * held as float64 in memory; float32 storage rounds them once, on creation.
 */
public enum ValueType {
    FLOAT32(1, Float.BYTES),
    FLOAT64(2, Double.BYTES);

    private final int code;
    private final int bytes;

    ValueType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The one-byte code of this type in the tensor records. */
    int code() {
        return code;
    }

    /** Bytes per value. */
    public int bytes() {
        return bytes;
    }

    /** The type with tensor-record code {@code code}, or null if none. */
    static ValueType byCode(int code) {
        for (ValueType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** The NumPy-style name ("float32", "float64"). */
    public String numpyName() {
        return this == FLOAT32 ? "float32" : "float64";
    }
}
