package io.headlesscrm.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the bad-input test found, grouped by operation and cause, with the first input that showed each one. The
 * cause of a 5xx comes from the error the service logged while answering (same JVM, requests run one at a time).
 */
final class Findings implements AutoCloseable {

    private final Map<String, Map<String, Finding>> byOperation = new TreeMap<>();
    private final List<String> logged = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                synchronized (logged) {
                    logged.add(describe(record));
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private long inputs;

    Findings() {
        Logger.getLogger("").addHandler(handler);
    }

    /** Starts one input: forgets what was logged before it. */
    void sending() {
        inputs++;
        synchronized (logged) {
            logged.clear();
        }
    }

    /** The first error the service logged for the current input, or {@code fallback}. */
    String loggedCause(String fallback) {
        synchronized (logged) {
            return logged.isEmpty() ? fallback : logged.get(0);
        }
    }

    void add(String operation, String cause, String input) {
        byOperation.computeIfAbsent(operation, o -> new TreeMap<>())
                .computeIfAbsent(cause, c -> new Finding(input)).count++;
    }

    long inputs() {
        return inputs;
    }

    boolean isEmpty() {
        return byOperation.isEmpty();
    }

    String report(String title, long seed) {
        StringBuilder out = new StringBuilder(title).append(": ").append(inputs).append(" inputs (seed ").append(seed)
                .append("), ").append(byOperation.values().stream().mapToInt(Map::size).sum()).append(" findings\n");
        byOperation.forEach((op, causes) -> causes.forEach((cause, f) -> out.append("  ").append(op).append(" x")
                .append(f.count).append(": ").append(cause).append("\n      first input: ")
                .append(abbreviate(f.firstInput, 300)).append('\n')));
        return out.toString();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }

    private static String describe(LogRecord record) {
        Throwable t = record.getThrown();
        if (t == null) {
            return abbreviate(String.valueOf(record.getMessage()), 200);
        }
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String where = "";
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.headlesscrm")) {
                where = " at " + e.getClassName().substring("io.headlesscrm.".length()) + "." + e.getMethodName();
                break;
            }
        }
        return t.getClass().getSimpleName() + ": " + abbreviate(String.valueOf(t.getMessage()), 120) + where;
    }

    static String abbreviate(String s, int max) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "...(" + clean.length() + " chars)";
    }

    private static final class Finding {
        final String firstInput;
        int count;

        Finding(String firstInput) {
            this.firstInput = firstInput;
        }
    }
}
