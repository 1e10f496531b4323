package io.headlesscrm.event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a streamed body into NDJSON lines as buffers arrive, holding at most one line: a line longer than the limit
 * is skipped to its end and reported as too long, and the lines after it are read as usual.
 */
final class NdjsonLines {

    /** Receives each line: its number (from 1) and its text, or null when it was longer than the limit. */
    interface Sink {
        void line(long number, String text);
    }

    private final int limit;
    private final Sink sink;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private boolean tooLong;
    private long number;

    NdjsonLines(int limit, Sink sink) {
        this.limit = limit;
        this.sink = sink;
    }

    void feed(Buffer buffer) {
        int start = 0;
        int length = buffer.length();
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(i) == '\n') {
                append(buffer, start, i);
                emit();
                start = i + 1;
            }
        }
        append(buffer, start, length);
    }

    /** The end of the body: a last line without a newline counts too. */
    void end() {
        if (current.size() > 0 || tooLong) {
            emit();
        }
    }

    private void append(Buffer buffer, int from, int to) {
        if (tooLong || from == to) {
            return;
        }
        if (current.size() + (to - from) > limit) {
            tooLong = true;
            current.reset();
            return;
        }
        current.writeBytes(buffer.getBytes(from, to));
    }

    private void emit() {
        number++;
        String text = tooLong ? null : current.toString(StandardCharsets.UTF_8);
        current.reset();
        boolean skipped = tooLong;
        tooLong = false;
        if (skipped || !text.isBlank()) {
            sink.line(number, text);
        }
    }
}
