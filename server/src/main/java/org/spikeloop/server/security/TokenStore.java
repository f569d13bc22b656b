package org.spikeloop.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spikeloop.server.config.ConfigException;

/**
 * Bearer tokens and their roles, read once from a file with one {@code name role token} line per
 * token ({@code #} starts a comment). Only SHA-256 digests of the tokens are kept in memory, and
 * lookups compare digests in constant time; no method returns or logs a token.
 *
 * <p>Threading: immutable after construction; safe from any thread.
 */
public final class TokenStore {
    private static final int MIN_TOKEN_LENGTH = 16;

    private record Entry(byte[] digest, Principal principal) {}

    private final List<Entry> entries;

    private TokenStore(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads the tokens file.
     *
     * @throws ConfigException naming the line (never its token) for a malformed line, an unknown
     *     role, a short or duplicate token
     */
    public static TokenStore load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(
                    "auth.tokensFile " + file + ": cannot read: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "auth.tokensFile " + file + " line " + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new ConfigException(
                        where + ": expected 'name role token' (3 fields), got " + parts.length);
            }
            Role role;
            try {
                role = Role.valueOf(parts[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        where + ": role must be viewer or operator, got '" + parts[1] + "'");
            }
            if (parts[2].length() < MIN_TOKEN_LENGTH) {
                throw new ConfigException(
                        where + ": token shorter than " + MIN_TOKEN_LENGTH + " characters");
            }
            byte[] digest = sha256(parts[2]);
            for (Entry e : entries) {
                if (MessageDigest.isEqual(e.digest, digest)) {
                    throw new ConfigException(
                            where + ": token repeats the one of '" + e.principal.name() + "'");
                }
            }
            entries.add(new Entry(digest, new Principal(parts[0], role)));
        }
        if (entries.isEmpty()) {
            throw new ConfigException("auth.tokensFile " + file + ": holds no tokens");
        }
        return new TokenStore(entries);
    }

    /** The principal owning {@code token}, or null. Constant time per entry. */
    public Principal lookup(String token) {
        byte[] digest = sha256(token);
        Principal found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest)) {
                found = e.principal;
            }
        }
        return found;
    }

    /** Number of tokens. */
    public int size() {
        return entries.size();
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
