package org.spikeloop.adapters.eegfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a GDF, EDF or BDF file through MNE: runs the helper script shipped beside this class
 * ({@value #SCRIPT}, copied into a fresh temporary directory) with the virtualenv's Python ({@link
 * VenvPython}), waits for it, and opens what it wrote as an {@link EegRecording}. The helper reads
 * the file's header itself to check its identification and size (a truncated file is refused),
 * converts voltage channels to microvolts from the unit the file states (correcting MNE's GDF 1.x
 * misreading of {@code µV}), and turns events, annotations and stim channels into markers.
 *
 * <p>Every failure is an {@link EegFileException} whose message is one line naming the file: a
 * missing file or unknown extension (checked before Python starts), a file the helper refuses (its
 * exit code 2), a Python without MNE (exit 3), or a helper that failed otherwise (its exit code and
 * the last line it printed). Nothing but the temporary directory is written, and that is deleted on
 * failure.
 *
 * <p>Control plane, caller's thread; blocks until the helper ends.
 */
public final class EegFileReader {
    static final String SCRIPT = "eeg_file_reader.py";
    private static final String STDERR = "reader-stderr.txt";

    private final VenvPython python;

    public EegFileReader(VenvPython python) {
        this.python = python;
    }

    /** A reader using this process's virtualenv (see {@link VenvPython#forThisProcess()}). */
    public static EegFileReader forThisProcess() {
        return new EegFileReader(VenvPython.forThisProcess());
    }

    /** Reads {@code file}; the caller closes the result (which deletes its directory). */
    public EegRecording read(Path file) throws IOException, InterruptedException {
        if (!Files.exists(file)) {
            throw new EegFileException("no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new EegFileException("not a regular file: " + file);
        }
        EegFileFormat format =
                EegFileFormat.of(file)
                        .orElseThrow(
                                () ->
                                        new EegFileException(
                                                file
                                                        + ": unsupported extension (expected"
                                                        + " .gdf, .edf or .bdf)"));
        Path interpreter = python.locate();
        Path dir = Files.createTempDirectory("spikeloop-eeg-");
        boolean ok = false;
        try {
            Path script = dir.resolve(SCRIPT);
            try (InputStream in = EegFileReader.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException(SCRIPT + " is missing from the classpath");
                }
                Files.copy(in, script);
            }
            Path stderr = dir.resolve(STDERR);
            Process p =
                    new ProcessBuilder(
                                    interpreter.toString(),
                                    script.toString(),
                                    file.toAbsolutePath().toString(),
                                    format.name(),
                                    dir.toString())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(stderr.toFile())
                            .start();
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
            if (code != 0) {
                String last = lastLine(stderr);
                throw new EegFileException(
                        code == 2 || code == 3
                                ? last
                                : "the "
                                        + format
                                        + " reader ("
                                        + interpreter
                                        + ") failed with exit code "
                                        + code
                                        + ": "
                                        + last);
            }
            EegRecording rec = EegRecording.open(dir);
            ok = true;
            return rec;
        } finally {
            if (!ok) {
                EegRecording.deleteTree(dir);
            }
        }
    }

    private static String lastLine(Path file) throws IOException {
        // Decoded leniently: a message may quote the file's bytes in any encoding.
        String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "(it printed nothing)";
    }
}
