package dev.kcpasskeys.authenticator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Message keys for what can go wrong, on the browser's side and on ours. */
public final class ClientErrors {

  /** Stable codes the page's JS posts (mapped from DOMException names), to message keys. */
  private static final Map<String, String> CLIENT = Map.of(
      "cancelled", "passkeyCancelled",
      "timeout", "passkeyTimeout",
      "unsupported", "passkeyUnsupported",
      "already-registered", "passkeyAlreadyRegistered",
      "security", "passkeySecurityError");
  private static final int MAX_RESPONSE_CHARS = 64 * 1024;
  /** Thread-safe once configured; parsing runs on every passkey sign-in (the attachment). */
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientErrors() {}

  /** Unknown codes (anything a client may invent) get the generic message. */
  public static String messageKey(String clientCode) {
    return CLIENT.getOrDefault(clientCode == null ? "" : clientCode, "passkeyFailed");
  }

  public static String messageKey(Reason reason) {
    return switch (reason) {
      case CREDENTIAL_ID_TAKEN -> "passkeyAlreadyRegistered";
      case AAGUID_NOT_ALLOWED -> "passkeyProviderNotAllowed";
      case USER_VERIFICATION -> "passkeyUserVerificationRequired";
      case USER_PRESENCE -> "passkeyUserPresenceRequired";
      case ORIGIN_MISMATCH, RP_ID_MISMATCH, CROSS_ORIGIN, TOP_ORIGIN -> "passkeyWrongSite";
      case TOO_LARGE, MALFORMED, WRONG_TYPE -> "passkeyMalformed";
      default -> "passkeyFailed";
    };
  }

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

  /** The credential id a response names, for the Signal API; empty when it names none we can read. */
  static Optional<byte[]> credentialIdOf(String responseJson) {
    return field(responseJson, "/rawId", 1023);
  }

  /**
   * Whether the response's client data answers this challenge: the Signal API hint is given only for a
   * ceremony run against the challenge this page issued and this attempt consumed, never for a response
   * made up or replayed without one (#20 item 1). Unverified otherwise, like everything here.
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
