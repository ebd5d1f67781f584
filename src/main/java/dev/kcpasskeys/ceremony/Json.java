package dev.kcpasskeys.ceremony;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Shared, thread-safe Jackson mappers: strict JSON for untrusted input, and CBOR. */
final class Json {

  /** Duplicate keys are rejected deterministically instead of "last one wins". */
  static final ObjectMapper STRICT =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  static final ObjectMapper CBOR =
      new ObjectMapper(new CBORFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Json() {}

  static ObjectNode object() {
    return STRICT.createObjectNode();
  }

  static String write(JsonNode node) {
    try {
      return STRICT.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses untrusted JSON text into an object node; anything else is MALFORMED. */
  static ObjectNode readObject(String text, String what) throws PasskeyVerificationException {
    try {
      return asObject(STRICT.readTree(text), what);
    } catch (IOException e) {
      throw malformed(what + " is not valid JSON", e);
    }
  }

  /** Parses untrusted UTF-8 JSON bytes into an object node; anything else is MALFORMED. */
  static ObjectNode readObject(byte[] utf8, String what) throws PasskeyVerificationException {
    try {
      return asObject(STRICT.readTree(utf8), what);
    } catch (IOException e) {
      throw malformed(what + " is not valid JSON", e);
    }
  }

  /** Parses untrusted CBOR bytes; anything else is MALFORMED. */
  static ObjectNode readCborMap(byte[] cbor, String what) throws PasskeyVerificationException {
    try {
      return asObject(CBOR.readTree(cbor), what);
    } catch (IOException e) {
      throw malformed(what + " is not valid CBOR", e);
    }
  }

  private static ObjectNode asObject(JsonNode node, String what)
      throws PasskeyVerificationException {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw malformed(what + " must be an object", null);
  }

  static PasskeyVerificationException malformed(String message, Throwable cause) {
    return new PasskeyVerificationException(
        PasskeyVerificationException.Reason.MALFORMED, message, cause);
  }
}
