package org.spikeloop.app.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which streams {@code spikeloop replay} publishes and under which names: {@code --only NAME} keeps
 * the named streams (all when none is given), {@code --rename OLD=NEW} publishes stream OLD as NEW,
 * and {@code --prefix P} puts P before every published name (after renaming). A renamed stream's
 * source id becomes {@code NEW/OLD-source-id} (empty stays empty) so that a replay beside a live
 * source, or two replays of one file, are never taken by liblsl for the same stream.
 *
 * <p>Every name an option gives must be in the file, and a rename must not give a stream the
 * published name of another; otherwise {@link #select} throws {@link IllegalArgumentException}
 * naming the option.
 */
final class ReplaySelection {
    /** The published name and source id of one recorded stream. */
    record Published(String name, String sourceId) {}

    private final Set<String> only;
    private final Map<String, String> renames;
    private final String prefix;

    /**
     * @param only names of the streams to replay; empty: every stream
     * @param renames {@code OLD=NEW} pairs
     * @param prefix put before every published name; null or empty: none
     * @throws IllegalArgumentException when a rename is not of the form OLD=NEW with both non-empty
     *     or renames one stream twice
     */
    ReplaySelection(List<String> only, List<String> renames, String prefix) {
        this.only = new HashSet<>(only);
        this.renames = new LinkedHashMap<>();
        for (String r : renames) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) {
                throw new IllegalArgumentException(
                        "--rename: expected OLD=NEW with both names non-empty, got '" + r + "'");
            }
            String from = r.substring(0, eq);
            if (this.renames.put(from, r.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--rename: stream '" + from + "' renamed twice");
            }
        }
        this.prefix = prefix == null ? "" : prefix;
    }

    /**
     * Decides for each recorded stream (by its recorded name, in file order) whether it is
     * replayed, and as what.
     *
     * @param names the recorded names, in file order (not modified)
     * @param sourceIds the recorded source ids, same order (not modified)
     * @return one entry per recorded stream: the published name and source id, or null when the
     *     stream is left out
     * @throws IllegalArgumentException naming the option whose stream is not in the file, or the
     *     published name a rename would give two streams
     */
    List<Published> select(List<String> names, List<String> sourceIds) {
        Set<String> present = new HashSet<>(names);
        for (String n : only) {
            if (!present.contains(n)) {
                throw new IllegalArgumentException(
                        "--only: no stream named '" + n + "' in the file (it has " + names + ")");
            }
        }
        for (String n : renames.keySet()) {
            if (!present.contains(n)) {
                throw new IllegalArgumentException(
                        "--rename: no stream named '" + n + "' in the file (it has " + names + ")");
            }
        }
        List<Published> out = new ArrayList<>(names.size());
        // published name -> whether a --rename made it; a file may itself hold two streams of one
        // name (replayed as they are), but a rename must not create such a pair.
        Map<String, Boolean> published = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (!only.isEmpty() && !only.contains(n)) {
                out.add(null);
                continue;
            }
            boolean renamed = renames.containsKey(n);
            String name = prefix + renames.getOrDefault(n, n);
            Boolean before = published.put(name, renamed);
            if (before != null && (before || renamed)) {
                throw new IllegalArgumentException(
                        "two replayed streams would both be named '"
                                + name
                                + "': use --rename or --only");
            }
            String id = sourceIds.get(i);
            String sourceId = name.equals(n) || id.isEmpty() ? id : name + "/" + id;
            out.add(new Published(name, sourceId));
        }
        return out;
    }
}
