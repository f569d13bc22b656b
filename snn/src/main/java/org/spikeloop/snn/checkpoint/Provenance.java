package org.spikeloop.snn.checkpoint;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a checkpoint came from. Stored in the checkpoint header; not part of its content id, so the
 * same weights re-saved by someone else keep their id.
 *
 * @param createdAt when the checkpoint was made (UTC instant)
 * @param creator who or what made it (a user name, a job name); non-blank
 * @param parentId content id of the checkpoint it was derived from (64 lower-case hex digits), or
 *     null for a fresh initialisation or an import
 * @param source the job or input it was produced by (e.g. {@code "init seed=7"}, {@code "import
 *     weights.npz"}); may be empty
 * @param notes free-form text; may be empty
 */
public record Provenance(
        Instant createdAt, String creator, String parentId, String source, String notes) {
    private static final Pattern CONTENT_ID = Pattern.compile("[0-9a-f]{64}");

    public Provenance {
        Objects.requireNonNull(createdAt, "provenance.createdAt is missing");
        if (creator == null || creator.isBlank()) {
            throw new IllegalArgumentException("provenance.creator must be a non-blank name");
        }
        if (parentId != null && !CONTENT_ID.matcher(parentId).matches()) {
            throw new IllegalArgumentException(
                    "provenance.parentId must be a content id (64 lower-case hex digits), got '"
                            + parentId
                            + "'");
        }
        source = source == null ? "" : source;
        notes = notes == null ? "" : notes;
    }

    /** A provenance created now, with no parent and no notes. */
    public static Provenance now(String creator, String source) {
        return new Provenance(Instant.now(), creator, null, source, "");
    }

    /** The same provenance with {@code parentId} as parent. */
    public Provenance withParent(String parentId) {
        return new Provenance(createdAt, creator, parentId, source, notes);
    }

    /** The same provenance with {@code notes}. */
    public Provenance withNotes(String notes) {
        return new Provenance(createdAt, creator, parentId, source, notes);
    }

    /** Whether {@code id} is a well-formed content id. */
    static boolean isContentId(String id) {
        return id != null && CONTENT_ID.matcher(id).matches();
    }
}
