package io.headlesscrm.dataio;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Splits a file into records as its bytes arrive, holding at most one record: NDJSON lines, or CSV records (RFC
 * 4180: a cell that starts with a double quote runs to its closing quote and may hold line breaks). Both quote and
 * line break are ASCII, which never occurs inside a UTF-8 sequence, so bytes are split before they are decoded. A
 * byte order mark at the start is dropped; blank records are skipped, their lines still counted.
 * <p>
 * A quoted cell that is never closed — the file (or the record limit) ends first, or its "closing" quote is followed
 * by text, as when it is really the opening quote of a later cell — would take every following line with it. Such a
 * record is cut back to the line it starts on and handed on as {@link Defect defective}, and the lines after it are
 * read as records again. Upload and worker split with this same class, so both find the same records.
 */
final class RecordSplitter {

    /** Receives each record: the line it starts on (from 1), its bytes without the line break, and its defect. */
    interface Sink {
        void record(long line, byte[] bytes, Defect defect);
    }

    /** Why a record is not a CSV record: the reason its row fails with. */
    enum Defect {
        /** A quoted cell that takes in line breaks and then never closes (or closes and runs on into text). */
        UNCLOSED("a quote opened on this line is never closed where its cell ends; the lines after this one are"
                + " read as rows of their own"),
        /** A quoted cell on one line whose closing quote is followed by text. */
        TEXT_AFTER_QUOTE("text follows the closing quote of a cell (a quote inside a quoted cell is written twice)");

        final String reason;

        Defect(String reason) {
            this.reason = reason;
        }
    }

    /** A record longer than the limit that cannot be cut back to its first line: the file cannot be split past it. */
    static final class TooLong extends RuntimeException {
        final long line;

        TooLong(long line) {
            super("The record starting on line " + line + " is too long", null, false, false);
            this.line = line;
        }
    }

    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    // where a CSV record is: at a cell's start, in an unquoted cell, in a quoted one, on a quote inside a quoted cell
    // (its end, or the first of two), after a closing quote (blanks may follow), or in the rest of a defective line
    private static final int START = 0;
    private static final int PLAIN = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE = 3;
    private static final int CLOSED = 4;
    private static final int SKIP = 5;

    private final boolean csv;
    private final int limit;
    private final Sink sink;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int state = START;
    /** The record's first line break (inside quotes), as an offset in the record; -1 while it has one line. */
    private int firstBreak = -1;
    private Defect defect;
    private long line;
    private long recordLine;
    /** How much of a byte order mark the file has started with; -1 once it is known to have none. */
    private int bom;

    RecordSplitter(boolean csv, int limit, long firstLine, Sink sink) {
        this.csv = csv;
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
        for (; bom >= 0 && bom < BOM.length && start < end; start++, bom++) { // a BOM may come in pieces
            if (bytes[start] != BOM[bom]) {
                scan(BOM, 0, bom); // not a BOM after all: its first bytes are the file's
                bom = -1;
                break;
            }
        }
        scan(bytes, start, end);
    }

    /** The end of the file: a last record without a line break counts too; a quote still open was never closed. */
    void end() {
        if (bom > 0 && bom < BOM.length) {
            scan(BOM, 0, bom);
        }
        while (state == QUOTED && firstBreak >= 0) {
            byte[] rest = cutBack(new byte[0], 0, 0, 0, Defect.UNCLOSED);
            scan(rest, 0, rest.length);
        }
        if (state == QUOTED || state == SKIP) {
            complete(state == QUOTED ? Defect.UNCLOSED : defect);
        } else if (current.size() > 0) {
            complete(null);
        }
    }

    private void scan(byte[] in, int from, int end) {
        int start = from; // where the current record's bytes in `in` begin
        long over = start + (long) limit - current.size(); // the first index past the limit
        for (int i = from; i < end; i++) {
            byte b = in[i];
            if (b == '\n' && state != QUOTED) {
                current.write(in, start, i - start);
                complete(state == SKIP ? defect : null);
                line++;
                start = i + 1;
                over = start + (long) limit;
                continue;
            }
            if (b == '\n') {
                if (firstBreak < 0) {
                    firstBreak = current.size() + (i - start);
                }
                line++;
            } else if (csv && !step(b)) {
                if (firstBreak < 0) { // the defect is on the record's first line: the line is the record
                    state = SKIP;
                    defect = Defect.TEXT_AFTER_QUOTE;
                } else {
                    in = cutBack(in, start, i, end, Defect.UNCLOSED);
                    end = in.length;
                    start = 0;
                    i = -1;
                    over = limit;
                    continue;
                }
            }
            if (i >= over) { // the record passes the limit with this byte
                if ((state == QUOTED || state == QUOTE) && firstBreak >= 0) { // most likely a quote never closed
                    in = cutBack(in, start, i + 1, end, Defect.UNCLOSED);
                    end = in.length;
                    start = 0;
                    i = -1;
                    over = limit;
                    continue;
                }
                throw new TooLong(recordLine);
            }
        }
        current.write(in, start, end - start);
    }

    /** Moves a CSV record's state on by one byte (not a line break); false when the byte makes it defective. */
    private boolean step(byte b) {
        switch (state) {
            case START -> state = b == '"' ? QUOTED : b == ',' ? START : PLAIN;
            case PLAIN -> state = b == ',' ? START : PLAIN;
            case QUOTED -> state = b == '"' ? QUOTE : QUOTED;
            case QUOTE -> {
                if (b == '"') {
                    state = QUOTED;
                } else if (b == ',') {
                    state = START;
                } else if (b == ' ' || b == '\t' || b == '\r') {
                    state = CLOSED;
                } else {
                    return false;
                }
            }
            case CLOSED -> {
                if (b == ',') {
                    state = START;
                } else if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            default -> {
                // SKIP: the rest of a defective line
            }
        }
        return true;
    }

    /**
     * Hands on the record so far (held, then {@code in[start, at)}) cut back to its first line, as defective, and
     * answers the bytes to read again: the record's later lines followed by {@code in[at, end)}.
     */
    private byte[] cutBack(byte[] in, int start, int at, int end, Defect why) {
        current.write(in, start, at - start);
        byte[] record = current.toByteArray();
        int cut = firstBreak;
        current.reset();
        current.write(record, 0, cut);
        long first = recordLine;
        line = first; // so that the next record starts on the line after this one's first
        complete(why);
        line = first + 1;
        byte[] rest = new byte[record.length - cut - 1 + end - at];
        System.arraycopy(record, cut + 1, rest, 0, record.length - cut - 1);
        System.arraycopy(in, at, rest, record.length - cut - 1, end - at);
        return rest;
    }

    /** Hands on the held record, and starts the next one on the line after what was read. */
    private void complete(Defect why) {
        byte[] record = current.toByteArray();
        int length = record.length;
        while (length > 0 && record[length - 1] == '\r') { // all of them, so that a stored record splits the same
            length--;
        }
        current.reset();
        long at = recordLine;
        recordLine = line + 1;
        state = START;
        firstBreak = -1;
        defect = null;
        if (why != null || !blank(record, length)) {
            sink.record(at, length == record.length ? record : Arrays.copyOf(record, length), why);
        }
    }

    private static boolean blank(byte[] record, int length) {
        for (int i = 0; i < length; i++) {
            if (record[i] != ' ' && record[i] != '\t' && record[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
