package org.spikeloop.adapters.lsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * liblsl's configuration text ({@code lsl_api.cfg}, an INI file) with some keys of one section
 * replaced, so that a program can pin what it must (e.g. {@code [multicast] ResolveScope} and
 * {@code ListenAddress}) while keeping everything else of the file the user points {@code
 * LSLAPICFG} at. Pure text: nothing here loads liblsl. Keys compare case-insensitively, like
 * liblsl's INI reader.
 */
public final class LslApiConfig {
    private LslApiConfig() {}

    /**
     * {@code base} with {@code keys} set in {@code section}: lines setting them there are dropped
     * and the new values are written at the section's end (the section is appended if absent).
     *
     * @param base the configuration text ("" for none)
     * @param section e.g. {@code multicast}
     * @param keys key → value, in the order to write them
     */
    public static String withSection(String base, String section, Map<String, String> keys) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            wanted.put(e.getKey().toLowerCase(Locale.ROOT), e.getKey() + " = " + e.getValue());
        }
        List<String> out = new ArrayList<>();
        String current = "";
        boolean written = false;
        for (String line : base.split("\r?\n", -1)) {
            String t = line.strip();
            if (t.startsWith("[") && t.endsWith("]")) {
                if (current.equalsIgnoreCase(section) && !written) {
                    out.addAll(wanted.values());
                    written = true;
                }
                current = t.substring(1, t.length() - 1).strip();
            } else if (current.equalsIgnoreCase(section) && t.contains("=")) {
                String key = t.substring(0, t.indexOf('=')).strip().toLowerCase(Locale.ROOT);
                if (wanted.containsKey(key)) {
                    continue; // replaced below
                }
            }
            out.add(line);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        if (!written) {
            if (!current.equalsIgnoreCase(section)) {
                out.add("[" + section + "]");
            }
            out.addAll(wanted.values());
        }
        return String.join("\n", out) + "\n";
    }
}
