package dev.kcpasskeys.ceremony;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Typed, MALFORMED-on-mismatch access to fields of untrusted JSON objects. */
final class JsonFields {

  private JsonFields() {}

  static String text(ObjectNode node, String field) throws PasskeyVerificationException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw Json.malformed("'" + field + "' must be a string", null);
    }
    return value.textValue();
  }

  static Optional<String> optionalText(ObjectNode node, String field)
      throws PasskeyVerificationException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(text(node, field));
  }

  static byte[] bytes(ObjectNode node, String field) throws PasskeyVerificationException {
    return decode(text(node, field), field);
  }

  static Optional<byte[]> optionalBytes(ObjectNode node, String field)
      throws PasskeyVerificationException {
    Optional<String> text = optionalText(node, field);
    return text.isEmpty() ? Optional.empty() : Optional.of(decode(text.get(), field));
  }

  static ObjectNode object(ObjectNode node, String field) throws PasskeyVerificationException {
    JsonNode value = node.get(field);
    if (value instanceof ObjectNode object) {
      return object;
    }
    throw Json.malformed("'" + field + "' must be an object", null);
  }

  static Optional<ObjectNode> optionalObject(ObjectNode node, String field)
      throws PasskeyVerificationException {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(object(node, field));
  }

  static Optional<Boolean> optionalBoolean(ObjectNode node, String field)
      throws PasskeyVerificationException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw Json.malformed("'" + field + "' must be a boolean", null);
    }
    return Optional.of(value.booleanValue());
  }

  static boolean has(ObjectNode node, String field) {
    return node.has(field);
  }

  private static byte[] decode(String text, String field) throws PasskeyVerificationException {
    try {
      return Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw Json.malformed("'" + field + "' is not base64url", e);
    }
  }
}
