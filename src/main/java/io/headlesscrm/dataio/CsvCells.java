package io.headlesscrm.dataio;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells of one CSV record, and a value as a cell (RFC 4180: comma-separated; a cell in double quotes may hold commas, line breaks and
 * doubled quotes). {@link RecordSplitter} already finds where records end by the same quoting rule, which is why
 * this small reader stands here rather than a CSV library that would find the records again.
 */
final class CsvCells {

    private CsvCells() {
    }

    static List<String> split(String record) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < record.length() && record.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** A value as one cell: quoted when it holds a comma, a quote or a line break; empty for none. */
    static String quote(String value) {
        if (value == null) {
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + value.replace("\"", "\"\"") + '"';
            }
        }
        return value;
    }
}
