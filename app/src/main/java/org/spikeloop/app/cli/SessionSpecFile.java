package org.spikeloop.app.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;

/**
 * A session spec file: the JSON form of the API's {@code CreateSessionRequest} ({@code {"spec":
 * {...}}}, protobuf's JSON mapping: field names as in the .proto or in lowerCamelCase, enum values
 * by name), so every field of {@code spikeloop/v1/session.proto} is available and documented there.
 * Unknown fields are refused, so a misspelt field never silently falls back to its default.
 */
final class SessionSpecFile {
    private SessionSpecFile() {}

    /**
     * Reads and parses {@code file}.
     *
     * @throws IllegalArgumentException naming the file and what protobuf's parser found (the field
     *     it could not place, or the JSON syntax error)
     */
    static CreateSessionRequest read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--spec: no such file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--spec: cannot read " + file + ": " + e);
        }
        CreateSessionRequest.Builder b = CreateSessionRequest.newBuilder();
        try {
            JsonFormat.parser().merge(text, b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "--spec "
                            + file
                            + ": not a CreateSessionRequest in JSON: "
                            + oneLine(e.getMessage()));
        }
        if (!b.hasSpec()) {
            throw new IllegalArgumentException(
                    "--spec " + file + ": the session goes in the top-level field \"spec\"");
        }
        return b.build();
    }

    /**
     * The request with the command line's overrides: {@code registryId} (non-null) becomes {@code
     * spec.decoder.registry_id} (replacing any other decoder source; {@code decoder.outputs} is
     * kept), {@code name} (non-null) {@code spec.name}.
     */
    static CreateSessionRequest withOverrides(
            CreateSessionRequest r, String registryId, String name) {
        CreateSessionRequest.Builder b = r.toBuilder();
        if (registryId != null) {
            DecoderSpec.Builder d = b.getSpecBuilder().getDecoderBuilder();
            d.clearSource().setRegistryId(registryId);
        }
        if (name != null) {
            b.getSpecBuilder().setName(name);
        }
        if (b.getSpec().getDecoder().getSourceCase() == DecoderSpec.SourceCase.SOURCE_NOT_SET) {
            throw new IllegalArgumentException(
                    "spec.decoder: the spec names no decoder (architecture, registry_id or"
                            + " checkpoint): give one in the file or pass --registry-id ID");
        }
        return b.build();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
