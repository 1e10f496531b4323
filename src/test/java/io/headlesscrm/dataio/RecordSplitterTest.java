package io.headlesscrm.dataio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The records of a file, as the upload finds them in the bytes as they arrive and as the worker finds them again in
 * the stored chunks: the same, whatever the buffers, the limit or the chunks. (An import over the HTTP API cannot
 * reach the record limit, 2 MB, with chunks of 3 rows in reasonable time; ImportTest covers the rest.)
 */
class RecordSplitterTest {

    private record Found(long line, String text, RecordSplitter.Defect defect) {
    }

    @Test
    void aQuoteOpenAtTheLimitFailsItsFirstLineAndTheLinesAfterItAreRecords() {
        String file = "a,b\nq-1,\"Ann\nq-2,Bob\nq-3,Cat\nq-4,Dan\nq-5,Eve\n";
        assertThat(upload(file, 12, 4)).containsExactly(new Found(1, "a,b", null),
                new Found(2, "q-1,\"Ann", RecordSplitter.Defect.UNCLOSED), new Found(3, "q-2,Bob", null),
                new Found(4, "q-3,Cat", null), new Found(5, "q-4,Dan", null), new Found(6, "q-5,Eve", null));
    }

    @Test
    void aByteOrderMarkThatArrivesInPiecesIsDropped() {
        assertThat(upload("\uFEFFa,b\r\nx,\"y\r\nz\"\r\n", 1000, 1)).containsExactly(new Found(1, "a,b", null),
                new Found(2, "x,\"y\r\nz\"", null));
    }

    /** Files of quotes, commas, blanks and line breaks in every order, seeded so that a failure repeats. */
    @Test
    void theWorkerFindsInTheStoredChunksTheRecordsTheUploadFound() {
        Random random = new Random(31);
        String alphabet = "ab,\"\n\r \"\",";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder file = new StringBuilder(random.nextBoolean() ? "h\n" : "\uFEFFh\r\n");
            for (int i = random.nextInt(120); i > 0; i--) {
                file.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int limit = 8 + random.nextInt(60);
            int chunkRows = 1 + random.nextInt(4);
            List<Found> uploaded;
            try {
                uploaded = upload(file.toString(), limit, 1 + random.nextInt(9));
            } catch (RecordSplitter.TooLong e) {
                continue;
            }
            assertThat(upload(file.toString(), limit, Integer.MAX_VALUE)).as("the same in one buffer: %s", file)
                    .isEqualTo(uploaded);
            assertThat(work(uploaded.subList(1, uploaded.size()), chunkRows)).as("in the chunks of %s", file)
                    .isEqualTo(uploaded.subList(1, uploaded.size()));
        }
    }

    private static List<Found> upload(String file, int limit, int buffer) {
        byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
        List<Found> found = new ArrayList<>();
        RecordSplitter splitter = new RecordSplitter(true, limit, 1, (line, record, defect) -> found.add(
                new Found(line, new String(record, StandardCharsets.UTF_8), defect)));
        for (int at = 0; at < bytes.length; at += buffer) {
            splitter.feed(Arrays.copyOfRange(bytes, at, (int) Math.min(bytes.length, (long) at + buffer)));
        }
        splitter.end();
        return found;
    }

    /** Stores records as ImportUpload does (a chunk ends after an unclosed quote), and splits the chunks again. */
    private static List<Found> work(List<Found> records, int chunkRows) {
        List<Found> found = new ArrayList<>();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        long first = 0;
        long next = 0;
        int rows = 0;
        for (int i = 0; i < records.size(); i++) {
            Found record = records.get(i);
            if (rows == 0) {
                first = record.line();
                next = record.line();
            }
            for (; next < record.line(); next++) {
                chunk.write('\n');
            }
            byte[] bytes = record.text().getBytes(StandardCharsets.UTF_8);
            chunk.writeBytes(bytes);
            chunk.write('\n');
            next = record.line() + 1 + record.text().chars().filter(c -> c == '\n').count();
            rows++;
            if (rows >= chunkRows || record.defect() == RecordSplitter.Defect.UNCLOSED || i == records.size() - 1) {
                RecordSplitter worker = new RecordSplitter(true, Integer.MAX_VALUE, first, (line, text, defect) ->
                        found.add(new Found(line, new String(text, StandardCharsets.UTF_8), defect)));
                worker.feed(chunk.toByteArray());
                worker.end();
                chunk.reset();
                rows = 0;
            }
        }
        return found;
    }
}
