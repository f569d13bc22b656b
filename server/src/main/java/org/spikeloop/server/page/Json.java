package org.spikeloop.server.page;

import org.spikeloop.server.security.AuditLog;

/** The few JSON pieces the page's encoders write by hand (strings, floats that may be NaN). */
final class Json {
    private Json() {}

    /** Appends {@code s} as a JSON string ({@link AuditLog#appendJsonString}). */
    static void string(StringBuilder b, String s) {
        AuditLog.appendJsonString(b, s);
    }

    /** Appends a number, or {@code null} for NaN and infinities (JSON has neither). */
    static void number(StringBuilder b, double v) {
        if (Double.isFinite(v)) {
            b.append(v);
        } else {
            b.append("null");
        }
    }

    /** Appends {@code [v0,v1,...]} (non-finite values as null). */
    static void array(StringBuilder b, float[] v) {
        b.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (Float.isFinite(v[i])) {
                b.append(v[i]);
            } else {
                b.append("null");
            }
        }
        b.append(']');
    }
}
