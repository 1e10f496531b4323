package io.headlesscrm.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The examples of RFC 7396, appendix A. */
class JsonMergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'a':'b'}           | {'a':'c'}         | {'a':'c'}",
            "{'a':'b'}           | {'b':'c'}         | {'a':'b','b':'c'}",
            "{'a':'b'}           | {'a':null}        | {}",
            "{'a':'b','b':'c'}   | {'a':null}        | {'b':'c'}",
            "{'a':['b']}         | {'a':'c'}         | {'a':'c'}",
            "{'a':'c'}           | {'a':['b']}       | {'a':['b']}",
            "{'a':{'b':'c'}}     | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}",
            "{'a':[{'b':'c'}]}   | {'a':[1]}         | {'a':[1]}",
            "{'e':null}          | {'a':1}           | {'e':null,'a':1}",
            "[1,2]               | {'a':'b','c':null} | {'a':'b'}",
            "{}                  | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
    })
    void appliesTheRfcExamples(String target, String patch, String expected) throws Exception {
        assertThat(JsonMergePatch.apply(read(target), read(patch))).isEqualTo(read(expected));
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }
}
