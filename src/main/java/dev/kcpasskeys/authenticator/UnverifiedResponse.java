package dev.kcpasskeys.authenticator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Optional;

/**
 * What a response says before it is verified: for a log line, an event detail or the Signal API
 * hint only, never to decide who signs in.
 */
final class UnverifiedResponse {

  private static final int MAX_RESPONSE_CHARS = 64 * 1024;

  /** Thread-safe once configured; parsing runs on every passkey sign-in (the attachment). */
  private static final ObjectMapper JSON = new ObjectMapper();

  private UnverifiedResponse() {}

  /** {@code platform} or {@code cross-platform} as the browser reported it; empty when absent. */
  static String attachmentOf(String responseJson) {
    if (responseJson == null || responseJson.length() > MAX_RESPONSE_CHARS) {
      return "";
    }
    try {
      return JSON.readTree(responseJson).path("authenticatorAttachment").asText("");
    } catch (Exception unreadable) {
      return "";
    }
  }

  /** The user handle a response names (unverified: use only after the signature was checked). */
  static Optional<byte[]> userHandleOf(String responseJson) {
    return field(responseJson, "/response/userHandle", 64);
  }

  /**
   * The credential id a response names, for the Signal API; empty when it names none we can read.
   */
  static Optional<byte[]> credentialIdOf(String responseJson) {
    return field(responseJson, "/rawId", 1023);
  }

  /**
   * Whether the response's client data answers this challenge: the Signal API hint is given only
   * for a ceremony run against the challenge this page issued and this attempt consumed, never for
   * a response made up or replayed without one (#20 item 1). Unverified otherwise, like everything
   * here.
   */
  static boolean answers(String responseJson, byte[] challenge) {
    Optional<byte[]> clientData = field(responseJson, "/response/clientDataJSON", 4096);
    if (clientData.isEmpty()) {
      return false;
    }
    try {
      String sent = JSON.readTree(clientData.get()).path("challenge").asText("");
      return java.security.MessageDigest.isEqual(Base64.getUrlDecoder().decode(sent), challenge);
    } catch (Exception unreadable) {
      return false;
    }
  }

  private static Optional<byte[]> field(String responseJson, String pointer, int maxBytes) {
    if (responseJson == null || responseJson.length() > MAX_RESPONSE_CHARS) {
      return Optional.empty();
    }
    try {
      JsonNode value = JSON.readTree(responseJson).at(pointer);
      byte[] bytes = Base64.getUrlDecoder().decode(value.asText(""));
      return bytes.length == 0 || bytes.length > maxBytes ? Optional.empty() : Optional.of(bytes);
    } catch (Exception unreadable) {
      return Optional.empty();
    }
  }
}
