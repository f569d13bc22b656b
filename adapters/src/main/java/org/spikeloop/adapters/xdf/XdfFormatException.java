package org.spikeloop.adapters.xdf;

import java.io.IOException;

/** The file is not XDF at all (bad magic); damage inside an XDF file is reported, not thrown. */
public final class XdfFormatException extends IOException {
    public XdfFormatException(String message) {
        super(message);
    }
}
