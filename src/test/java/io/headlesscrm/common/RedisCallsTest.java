package io.headlesscrm.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every Redis call goes through RedisCalls, which returns its outcome on the caller's context (a call that did
 * not resumed a Hibernate Reactive session on another thread: HR000069). A new call cannot forget it, because no
 * other class may reach a Redis client.
 */
class RedisCallsTest {

    private static final Path MAIN = Path.of("src/main/java");
    /** Redis client types: the data sources, the Vert.x clients and their connections. */
    private static final Pattern CLIENT = Pattern.compile(
            "\\b(ReactiveRedisDataSource|RedisDataSource|RedisAPI|RedisConnection)\\b|import io\\.vertx\\.(mutiny\\.)?redis\\.client\\.Redis;");

    @Test
    void onlyRedisCallsAndTheTagStampsBatcherReachARedisClient() {
        assertThat(sourcesMatching(CLIENT)).containsExactlyInAnyOrder(
                MAIN.resolve("io/headlesscrm/common/RedisCalls.java"),
                // its own batched MGET per event loop (the hot path), returned through RedisCalls.onCallerContext
                MAIN.resolve("io/headlesscrm/tag/TagStamps.java"));
        assertThat(read(MAIN.resolve("io/headlesscrm/tag/TagStamps.java"))).contains("RedisCalls.onCallerContext(");
    }

    private static List<Path> sourcesMatching(Pattern pattern) {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> pattern.matcher(read(f)).find())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
