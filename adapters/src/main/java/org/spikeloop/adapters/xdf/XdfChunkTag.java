package org.spikeloop.adapters.xdf;

/** XDF 1.0 chunk tags (the uint16 after each chunk's length). */
public enum XdfChunkTag {
    FILE_HEADER(1),
    STREAM_HEADER(2),
    SAMPLES(3),
    CLOCK_OFFSET(4),
    BOUNDARY(5),
    STREAM_FOOTER(6);

    private final int code;

    XdfChunkTag(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The tag for a code, or null if XDF 1.0 does not define it. */
    public static XdfChunkTag of(int code) {
        for (XdfChunkTag t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Magic bytes that open every XDF file. */
    static final byte[] MAGIC = {'X', 'D', 'F', ':'};

    /** The 16-byte signature of a Boundary chunk, used to resynchronise after corruption. */
    static final byte[] BOUNDARY_UUID = {
        0x43,
        (byte) 0xA5,
        0x46,
        (byte) 0xDC,
        (byte) 0xCB,
        (byte) 0xF5,
        0x41,
        0x0F,
        (byte) 0xB3,
        0x0E,
        (byte) 0xD5,
        0x46,
        0x73,
        (byte) 0x83,
        (byte) 0xCB,
        (byte) 0xE4
    };
}
