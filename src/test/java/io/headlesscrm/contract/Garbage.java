package io.headlesscrm.contract;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generators of hostile input, all drawn from one seeded {@link Random} so that a seed replays a whole run: nasty
 * strings (NUL, lone surrogates, right-to-left marks, huge), numbers past every range, deep
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

    private static final List<Integer> EDGE_NUMBERS = List.of(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 100);

    private final Random random;

    Garbage(long seed) {
        this.random = new Random(seed);
    }

    /** Up to 40 UTF-16 units of any value, lone surrogates and NUL included. */
    private String anyString() {
        char[] chars = new char[random.nextInt(41)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
        }
        return new String(chars);
    }

    /** Up to 40 visible ASCII characters and spaces. */
    private String asciiString() {
        char[] chars = new char[random.nextInt(41)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (' ' + random.nextInt('~' - ' ' + 1));
        }
        return new String(chars);
    }

    private String special() {
        return pick(SPECIALS);
    }

    private int hugeLength() {
        return 1_000 + random.nextInt(501);
    }

    /** A finite double anywhere from 1e-300 to 1e300 in magnitude (JSON has no NaN or infinity). */
    private double anyDouble() {
        return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(601) - 300);
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
            case 0, 1 -> special();
            case 2 -> anyString();
            case 3 -> asciiString();
            case 4 -> forgedCursor();
            case 5 -> number().toString();
            default -> "x".repeat(hugeLength());
        };
    }

    /** A header value: headers carry visible ASCII only (a client library refuses anything else). */
    String header() {
        return switch (random.nextInt(4)) {
            case 0 -> asciiString();
            case 1 -> "\"" + number() + "\"";
            case 2 -> "W/\"" + asciiString().replace("\"", "") + "\"";
            default -> special().chars().allMatch(c -> c >= ' ' && c <= '~') ? special() : "*";
        };
    }

    /** A string for a body field: like a parameter, sometimes far longer. */
    String text() {
        return chance(0.05) ? anyString() + "y".repeat(50_000 + random.nextInt(100_000)) : parameter();
    }

    Object number() {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextInt();
            case 1 -> random.nextLong();
            case 2 -> anyDouble();
            case 3 -> new BigInteger(200 + random.nextInt(2000), random);
            case 4 -> new BigDecimal(new BigInteger(100, random), -random.nextInt(400) + 200);
            default -> pick(EDGE_NUMBERS);
        };
    }

    /** A base64url cursor of the v1 layout (version, sort, key, id) whose sort, key or id is wrong. */
    String forgedCursor() {
        String sort = pick(SORTS);
        String key = switch (random.nextInt(4)) {
            case 0 -> special();
            case 1 -> anyString().replace("\n", "");
            case 2 -> UUID.randomUUID().toString();
            default -> "2026-01-31T00:00:00Z";
        };
        String id = chance(0.5) ? new UUID(random.nextLong(), random.nextLong()).toString() : special();
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
