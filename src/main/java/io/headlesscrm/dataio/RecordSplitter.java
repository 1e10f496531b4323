package io.headlesscrm.dataio;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Splits a file into records as its bytes arrive, holding at most one record: NDJSON lines, or CSV records, which
 * end at a line break outside double quotes (RFC 4180: a quoted cell may hold line breaks). Both quote and line
 * break are ASCII, which never occurs inside a UTF-8 sequence, so bytes are split before they are decoded. A byte
 * order mark at the start is dropped; blank records are skipped, their lines still counted.
 */
final class RecordSplitter {

    /** Receives each record: the line it starts on (from 1) and its bytes without the line break. */
    interface Sink {
        void record(long line, byte[] bytes);
    }

    /** A record longer than the limit: the file cannot be split sensibly past it (often an unclosed quote). */
    static final class TooLong extends RuntimeException {
        final long line;

        TooLong(long line) {
            super("The record starting on line " + line + " is too long", null, false, false);
            this.line = line;
        }
    }

    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    private final boolean quoted;
    private final int limit;
    private final Sink sink;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private boolean inQuotes;
    private long line;
    private long recordLine;
    private boolean atStart = true;

    RecordSplitter(boolean quoted, int limit, long firstLine, Sink sink) {
        this.quoted = quoted;
        this.limit = limit;
        this.sink = sink;
        this.line = firstLine;
        this.recordLine = firstLine;
    }

    void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    void feed(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        if (atStart && length >= BOM.length && Arrays.equals(bytes, offset, offset + BOM.length, BOM, 0,
                BOM.length)) {
            start += BOM.length;
        }
        atStart = false;
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (quoted && b == '"') {
                inQuotes = !inQuotes;
            } else if (b == '\n') {
                line++;
                if (!inQuotes) {
                    append(bytes, start, i);
                    emit();
                    start = i + 1;
                }
            }
        }
        append(bytes, start, end);
    }

    /** The end of the file: a last record without a line break counts too. */
    void end() {
        if (current.size() > 0) {
            emit();
        }
    }

    private void append(byte[] bytes, int from, int to) {
        if (to > from) {
            if (current.size() + (to - from) > limit) {
                throw new TooLong(recordLine);
            }
            current.write(bytes, from, to - from);
        }
    }

    private void emit() {
        byte[] record = current.toByteArray();
        int length = record.length > 0 && record[record.length - 1] == '\r' ? record.length - 1 : record.length;
        current.reset();
        long at = recordLine;
        recordLine = line;
        if (length > 0) {
            sink.record(at, length == record.length ? record : Arrays.copyOf(record, length));
        }
    }
}
