package io.headlesscrm.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;

/** RFC 7396 JSON Merge Patch: members set to null are removed, objects merge recursively, the rest replaces. */
public final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /**
     * A definition patched the way this API's PATCH endpoints change definitions: {@code before} (an input record) with
     * {@code patch} applied, where a list or object the patch gives replaces the old one whole (not merged), read
     * back as {@code type}. A patch that is not a JSON object, or a result that does not read as {@code type}, is a
     * 400 problem.
     */
    public static <T> T patched(ObjectMapper mapper, Object before, JsonNode patch, Class<T> type) {
        requireObject(patch);
        ObjectNode current = mapper.valueToTree(before);
        patch.fieldNames().forEachRemaining(current::remove);
        try {
            return mapper.treeToValue(apply(current, patch), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw Problems.from(e);
        }
    }

    /** A PATCH body must be a JSON object: checked before anything is read, so it is a 400 whatever the target. */
    public static void requireObject(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("invalid-field", null, "The body must be a JSON merge patch object");
        }
    }

    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        patch.properties().forEach(member -> {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        });
        return result;
    }
}
