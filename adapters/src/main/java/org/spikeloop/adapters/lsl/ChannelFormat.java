package org.spikeloop.adapters.lsl;

/**
 * LSL channel formats ({@code lsl_channel_format_t}) with their wire codes, value sizes and the
 * names used in stream XML and XDF headers.
 */
public enum ChannelFormat {
    FLOAT32(1, 4, "float32"),
    DOUBLE64(2, 8, "double64"),
    STRING(3, -1, "string"),
    INT32(4, 4, "int32"),
    INT16(5, 2, "int16"),
    INT8(6, 1, "int8"),
    INT64(7, 8, "int64");

    private final int code;
    private final int valueBytes;
    private final String xmlName;

    ChannelFormat(int code, int valueBytes, String xmlName) {
        this.code = code;
        this.valueBytes = valueBytes;
        this.xmlName = xmlName;
    }

    /** liblsl's numeric code. */
    public int code() {
        return code;
    }

    /** Bytes per value, or -1 for variable-length strings. */
    public int valueBytes() {
        return valueBytes;
    }

    /** The name in stream XML ({@code <channel_format>}), e.g. {@code float32}. */
    public String xmlName() {
        return xmlName;
    }

    public boolean isNumeric() {
        return this != STRING;
    }

    /** The format for a liblsl code; throws naming the code if it is unknown or undefined. */
    public static ChannelFormat fromCode(int code) {
        for (ChannelFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("channel_format: unknown liblsl code " + code);
    }

    /** The format for an XML name; throws naming the value if it is unknown. */
    public static ChannelFormat fromXmlName(String name) {
        for (ChannelFormat f : values()) {
            if (f.xmlName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("channel_format: unknown value '" + name + "'");
    }
}
