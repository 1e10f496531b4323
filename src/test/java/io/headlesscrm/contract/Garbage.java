package io.headlesscrm.contract;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.engine.SourceOfRandomness;

/**
 * jqwik generators of hostile input, driven programmatically from one seeded {@link Random} so that a seed replays a
 * whole run: nasty strings (NUL, lone surrogates, right-to-left marks, huge), numbers past every range, deep
 * nesting, values of the wrong type, and forged but well-formed cursors.
 */
final class Garbage {

    /** Sort names the lists issue cursors for; a forged cursor takes one of them with a key that may not fit. */
    private static final List<String> SORTS = List.of("createdAt", "-createdAt", "name", "-name", "id", "key",
            "-occurredAt");

    private static final List<String> SPECIALS = List.of("", " ", "null", "true", "0", "-1", "1e309", "NaN",
            "-0", "9223372036854775808", "99999999999999999999999999999999", "1.7976931348623157E309",
            "\u0000", "a\u0000b", "\ud800", "x\udc00y", "\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd", "\ufeff",
            "\uffff", "😀", "../../etc/passwd", "%00", "%", "' OR 1=1 --", "\\", "\"", "{}", "[]", "*", "W/\"1\"",
            "\"-1\"", "2026-13-45T99:99:99Z", "2026-01-31T00:00:00Z", "+999999999-12-31T23:59:59.999999999Z",
            "00000000-0000-0000-0000-000000000000", "1-1-1-1-1", "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "djE", "djEKaWQKeAp4", "INDIVIDUAL", "EMAIL", "a,b,,c",
            "attr.", "__proto__");

    private final Random random;

    private final Arbitrary<String> anyString = Arbitraries.strings().all().ofMaxLength(40);
    private final Arbitrary<String> asciiString = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
    private final Arbitrary<String> special = Arbitraries.of(SPECIALS);
    private final Arbitrary<Integer> ints = Arbitraries.integers();
    private final Arbitrary<Long> longs = Arbitraries.longs();
    private final Arbitrary<Double> doubles = Arbitraries.doubles();
    private final Arbitrary<Integer> edgeNumbers = Arbitraries.of(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 100);
    private final Arbitrary<Integer> hugeLength = Arbitraries.integers().between(1_000, 1_500);

    private final Map<Arbitrary<?>, Iterator<?>> samples = new HashMap<>();

    /**
     * jqwik memoizes generators in a store that only exists on its own engine's threads; its sample streams run
     * outside one and draw from the thread's source of randomness, which the seed fixes for the whole run.
     */
    Garbage(long seed) {
        this.random = SourceOfRandomness.create(Long.toString(seed));
    }

    @SuppressWarnings("unchecked")
    <T> T draw(Arbitrary<T> arbitrary) {
        return (T) samples.computeIfAbsent(arbitrary, a -> a.sampleStream().iterator()).next();
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** A string for a path or query parameter: nasty but short enough for the request line limits. */
    String parameter() {
        return switch (random.nextInt(7)) {
            case 0, 1 -> draw(special);
            case 2 -> draw(anyString);
            case 3 -> draw(asciiString);
            case 4 -> forgedCursor();
            case 5 -> number().toString();
            default -> "x".repeat(draw(hugeLength));
        };
    }

    /** A header value: headers carry visible ASCII only (a client library refuses anything else). */
    String header() {
        return switch (random.nextInt(4)) {
            case 0 -> draw(asciiString);
            case 1 -> "\"" + number() + "\"";
            case 2 -> "W/\"" + draw(asciiString).replace("\"", "") + "\"";
            default -> draw(special).chars().allMatch(c -> c >= ' ' && c <= '~') ? draw(special) : "*";
        };
    }

    /** A string for a body field: like a parameter, sometimes far longer. */
    String text() {
        return chance(0.05) ? draw(anyString) + "y".repeat(50_000 + random.nextInt(100_000)) : parameter();
    }

    Object number() {
        return switch (random.nextInt(6)) {
            case 0 -> draw(ints);
            case 1 -> draw(longs);
            case 2 -> draw(doubles);
            case 3 -> new BigInteger(200 + random.nextInt(2000), random);
            case 4 -> new BigDecimal(new BigInteger(100, random), -random.nextInt(400) + 200);
            default -> draw(edgeNumbers);
        };
    }

    /** A base64url cursor of the v1 layout (version, sort, key, id) whose sort, key or id is wrong. */
    String forgedCursor() {
        String sort = pick(SORTS);
        String key = switch (random.nextInt(4)) {
            case 0 -> draw(special);
            case 1 -> draw(anyString).replace("\n", "");
            case 2 -> UUID.randomUUID().toString();
            default -> "2026-01-31T00:00:00Z";
        };
        String id = chance(0.5) ? new UUID(random.nextLong(), random.nextLong()).toString() : draw(special);
        String raw = String.join("\n", chance(0.95) ? "v1" : "v2", sort, key, id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Any JSON value, of any type, nested up to {@code depth}. */
    Object anyJson(int depth) {
        int kind = random.nextInt(depth <= 0 ? 4 : 7);
        return switch (kind) {
            case 0 -> text();
            case 1 -> number();
            case 2 -> random.nextBoolean();
            case 3 -> null;
            case 4 -> deepNesting();
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(anyJson(depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(parameter(), anyJson(depth - 1));
                }
                yield map;
            }
        };
    }

    /** Arrays or objects nested hundreds deep (some beyond Jackson's nesting limit), well inside the body limit. */
    Object deepNesting() {
        Object value = text();
        int depth = 50 + random.nextInt(1_200);
        for (int i = 0; i < depth; i++) {
            value = random.nextBoolean() ? List.of(value) : Map.of("a", value);
        }
        return value;
    }
}
