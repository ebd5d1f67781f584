package dev.kcpasskeys.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies of the JSON APIs (the app API, the passkeys page, the admin API), read strictly
 * and once: the bytes must be UTF-8 (a malformed byte is refused, not turned into U+FFFD and saved
 * as part of a name), a key given twice at any depth is refused rather than resolved to its last
 * value, so the registration response the ceremony verifies is exactly what the client sent (#20
 * items 7 and 11).
 */
public final class JsonBody {

  public static final int MAX_BYTES = 64 * 1024;
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JsonBody() {}

  /** A request body that must be one JSON object. */
  public static JsonNode object(byte[] body) {
    if (body == null || body.length == 0) {
      throw new ApiError(400, "invalid_request", "a JSON object is required");
    }
    if (body.length > MAX_BYTES) {
      throw new ApiError(413, "payload_too_large", "the body is limited to 64 KiB");
    }
    JsonNode node = tree(utf8(body));
    if (!node.isObject()) {
      throw new ApiError(400, "invalid_request", "a JSON object is required");
    }
    return node;
  }

  /** The {@code credential} member of a registration body: the browser's {@code toJSON()}. */
  public static JsonNode credential(JsonNode body) {
    JsonNode credential = body.get("credential");
    if (credential == null || !credential.isObject()) {
      throw new ApiError(
          400, "invalid_request", "'credential' (the RegistrationResponseJSON) is required");
    }
    return credential;
  }

  /** JSON the server wrote itself (ceremony options), as a tree to embed in an answer. */
  public static JsonNode tree(String text) {
    try {
      return STRICT.readTree(text);
    } catch (IOException e) {
      throw new ApiError(400, "invalid_request", "the body is not valid JSON (or has a key twice)");
    }
  }

  /** A field that must be a string (a passkey's name). */
  public static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new ApiError(422, "invalid_name", "'" + field + "' must be a string");
    }
    return value.asText();
  }

  /** The body as text; a byte that is not UTF-8 is refused. */
  public static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ApiError(400, "invalid_request", "the body is not UTF-8");
    }
  }
}
