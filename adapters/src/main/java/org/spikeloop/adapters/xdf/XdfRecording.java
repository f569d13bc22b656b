package org.spikeloop.adapters.xdf;

import java.util.List;

/**
 * An XDF file as read: the FileHeader XML, the streams in order of appearance, and what the reader
 * met on the way. {@code truncatedAtOffset} is the byte offset where an incomplete final chunk
 * starts (-1 when the file ends on a chunk boundary): everything before it was read.
 *
 * @param problems corrupted chunks that were skipped, each with its byte offset
 */
public record XdfRecording(
        String fileHeaderXml,
        List<XdfStream> streams,
        long fileBytes,
        long truncatedAtOffset,
        long chunksRead,
        long boundaryChunks,
        List<Problem> problems) {

    /** A chunk the reader skipped, at a byte offset, and why. */
    public record Problem(long offset, String reason) {}

    public boolean truncated() {
        return truncatedAtOffset >= 0;
    }

    /** The stream with XDF id {@code id}, or null. */
    public XdfStream stream(int id) {
        for (XdfStream s : streams) {
            if (s.id() == id) {
                return s;
            }
        }
        return null;
    }
}
