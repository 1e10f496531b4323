package io.headlesscrm.testing;

import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.hamcrest.StringDescription;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The paths the tests read bodies with give what REST Assured's GPath gave for them. */
class JsonTest {

    private static final Json BODY = Json.of("""
            {"items": [{"key": "a", "n": 1, "tags": [{"key": "x"}]}, {"key": "b", "n": 2, "tags": [{"key": "y"}, {"key": "z"}]}],
             "total": 12345678901, "huge": 123456789012345678901234567890, "rate": 0.5, "max": 1e300,
             "changes": {"attributes.tier": {"old": "gold"}}, "none": null, "ok": true}""");

    @Test
    void namesIndexesAndSpreadOverLists() {
        assertThat(BODY.<String>get("items[0].key")).isEqualTo("a");
        assertThat(BODY.<String>get("items[-1].key")).isEqualTo("b");
        assertThat(BODY.<Object>get("items[5]")).isNull();
        assertThat(BODY.getList("items.key")).containsExactly("a", "b");
        assertThat(BODY.getList("items.tags.key")).containsExactly(List.of("x"), List.of("y", "z"));
        assertThat(BODY.getList("items.tags.key.flatten()")).containsExactly("x", "y", "z");
        assertThat(BODY.getInt("items.size()")).isEqualTo(2);
        assertThat(BODY.getMap("changes['attributes.tier']")).containsEntry("old", "gold");
        assertThat(BODY.getInt("items.find { it.key == 'b' }.n")).isEqualTo(2);
        assertThat(BODY.<Object>get("items.find { it.key == 'c' }.n")).isNull();
    }

    @Test
    void missingNamesAndNullsAreNull() {
        assertThat(BODY.<Object>get("nothing")).isNull();
        assertThat(BODY.<Object>get("nothing.deeper[0].still")).isNull();
        assertThat(BODY.getString("none")).isNull();
        assertThat(BODY.<Map<String, Object>>get("$")).containsKeys("items", "ok");
    }

    @Test
    void numbersHaveRestAssuredsTypes() {
        assertThat(BODY.<Object>get("items[0].n")).isEqualTo(1);
        assertThat(BODY.<Object>get("total")).isEqualTo(12345678901L);
        assertThat(BODY.<Object>get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(BODY.<Object>get("rate")).isEqualTo(0.5f);
        assertThat(BODY.<Object>get("max")).isEqualTo(1e300);
        assertThat(BODY.getBoolean("ok")).isTrue();
        assertThat(BODY.getString("rate")).isEqualTo("0.5");
    }

    @Test
    void aBodyMappedByRestAssuredsJacksonReadsTheSame() throws Exception {
        // as(Json.class): REST Assured's mapper parses decimals as doubles before Json sees them
        Json mapped = Json.read(new ObjectMapper().readTree(BODY.toString()));
        assertThat(mapped.<Object>get("rate")).isEqualTo(0.5f);
        assertThat(mapped.<Object>get("max")).isEqualTo(1e300);
        assertThat(mapped.<Object>get("total")).isEqualTo(12345678901L);
        assertThat(mapped.getList("items.key")).containsExactly("a", "b");
    }

    @Test
    void theMatcherSaysWhichPathAndShowsTheBody() {
        var matcher = json("items[0].key", equalTo("b"));
        String body = BODY.toString();
        assertThat(matcher.matches(body)).isFalse();
        assertThat(json("items[0].key", equalTo("a")).matches(body)).isTrue();
        StringDescription mismatch = new StringDescription();
        matcher.describeMismatch(body, mismatch);
        assertThat(mismatch.toString()).contains("\"items[0].key\"").contains("was \"a\"").contains("\"total\"");
        assertThat(StringDescription.toString(matcher)).isEqualTo("JSON path \"items[0].key\" \"b\"");
    }
}
