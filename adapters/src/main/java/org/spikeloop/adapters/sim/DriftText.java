package org.spikeloop.adapters.sim;

import java.util.ArrayList;
import java.util.List;

/** Splits the drift text form {@code <seconds>:<kind>=<v1>/<v2>/...,...} into items. */
final class DriftText {
    private DriftText() {}

    /** One {@code <seconds>:<kind>=<values>} item. */
    record Item(String text, double atS, String kind, String[] values) {
        double number(int i) {
            String v = value(i);
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "drift item '" + text + "': '" + v + "' is not a number", e);
            }
        }

        int integer(int i) {
            String v = value(i);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "drift item '" + text + "': '" + v + "' is not an integer", e);
            }
        }

        private String value(int i) {
            if (i >= values.length) {
                throw new IllegalArgumentException(
                        "drift item '" + text + "': expected at least " + (i + 1) + " values");
            }
            return values[i].trim();
        }
    }

    static List<Item> items(String text) {
        List<Item> items = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return items;
        }
        for (String raw : text.split(",")) {
            String item = raw.trim();
            int colon = item.indexOf(':');
            int equals = item.indexOf('=');
            if (colon < 1 || equals < colon + 2 || equals == item.length() - 1) {
                throw new IllegalArgumentException(
                        "drift item '" + item + "' is not <seconds>:<kind>=<values>");
            }
            double atS;
            try {
                atS = Double.parseDouble(item.substring(0, colon).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "drift item '" + item + "': time is not a number", e);
            }
            String kind = item.substring(colon + 1, equals).trim();
            items.add(new Item(item, atS, kind, item.substring(equals + 1).split("/")));
        }
        return items;
    }
}
