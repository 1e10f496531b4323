package io.headlesscrm.security.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One changed field in an audit row: its value before and after (null where it was or became absent). */
public record Change(@JsonProperty("old") Object oldValue, @JsonProperty("new") Object newValue) {

    /**
     * The fields that differ between two snapshots, in name order. Nested objects are compared key by key and
     * named by their path ({@code attributes.tier}), so a changed attribute does not copy the whole map.
     */
    public static Map<String, Change> between(Map<String, ?> before, Map<String, ?> after) {
        Map<String, Object> old = flatten(before);
        Map<String, Object> now = flatten(after);
        TreeMap<String, Object> names = new TreeMap<>(old);
        names.putAll(now);
        Map<String, Change> changes = new LinkedHashMap<>();
        for (String name : names.keySet()) {
            if (!Objects.equals(old.get(name), now.get(name))) {
                changes.put(name, new Change(old.get(name), now.get(name)));
            }
        }
        return changes;
    }

    private static Map<String, Object> flatten(Map<String, ?> snapshot) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", snapshot, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> into) {
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested) {
                flatten(prefix + k + ".", nested, into);
            } else if (v != null) {
                into.put(prefix + k, v);
            }
        });
    }
}
