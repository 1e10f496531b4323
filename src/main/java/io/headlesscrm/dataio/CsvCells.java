package io.headlesscrm.dataio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * The cells of one CSV record, read by Jackson's CSV module (RFC 4180: comma-separated; a cell in double quotes may
 * hold commas, line breaks and doubled quotes), and a value written as a cell. {@link RecordSplitter} finds where a
 * record ends as the bytes stream in (no CSV library reads a pushed stream); what is in it is the library's to read.
 */
final class CsvCells {

    /** A record the library cannot read as one CSV record: its reason. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final CsvFactory CSV = new CsvFactory();

    private CsvCells() {
    }

    /** The cells of a record {@link RecordSplitter} found (UTF-8, without its line break). */
    static List<String> split(byte[] record) throws Unreadable {
        try (CsvParser parser = CSV.createParser(record)) {
            List<String> cells = new ArrayList<>();
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return List.of("");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.VALUE_STRING; token = parser.nextToken()) {
                cells.add(parser.getText());
            }
            if (parser.nextToken() != null) { // the library ended the record where the splitter did not (a lone CR)
                throw new Unreadable("holds a line break outside quotes");
            }
            return cells;
        } catch (JsonParseException e) {
            throw new Unreadable("is not a CSV record: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Unreadable("is not a CSV record: " + e.getMessage());
        }
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
