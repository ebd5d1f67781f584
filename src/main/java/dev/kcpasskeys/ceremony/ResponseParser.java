package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.CREDENTIAL_ID_TOO_LONG;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.TOO_LARGE;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.WRONG_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the JSON a browser's {@code PublicKeyCredential.toJSON()} produces, after size checks and
 * with duplicate keys rejected.
 */
final class ResponseParser {

  /** Responses larger than this are rejected before parsing. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  /** WebAuthn L3 §7.1 step 25: credential IDs are at most 1023 bytes. */
  static final int MAX_CREDENTIAL_ID_BYTES = 1023;

  private ResponseParser() {}

  /** WebAuthn L3 §5.4.5 AuthenticatorAttachment: the only values a client reports. */
  static final Set<String> ATTACHMENTS = Set.of("platform", "cross-platform");

  /**
   * WebAuthn L3 §5.8.4 AuthenticatorTransport: values the specification defines; others are not
   * stored.
   */
  static final Set<String> TRANSPORTS =
      Set.of("usb", "nfc", "ble", "smart-card", "hybrid", "internal");

  static RegistrationResponse registration(String json) throws PasskeyVerificationException {
    ObjectNode credential = credential(json);
    byte[] rawId = rawId(credential);
    ObjectNode response = JsonFields.object(credential, "response");
    // WebAuthn L3 §7.1 step 3: response must be an AuthenticatorAttestationResponse
    if (!response.has("attestationObject") || response.has("signature")) {
      throw Json.malformed("expected an attestation response (registration)", null);
    }
    return new RegistrationResponse(
        rawId,
        JsonFields.bytes(response, "clientDataJSON"),
        JsonFields.bytes(response, "attestationObject"),
        transports(response),
        credPropsRk(credential));
  }

  static AssertionResponse assertion(String json) throws PasskeyVerificationException {
    ObjectNode credential = credential(json);
    byte[] rawId = rawId(credential);
    ObjectNode response = JsonFields.object(credential, "response");
    // WebAuthn L3 §7.2 step 3: response must be an AuthenticatorAssertionResponse
    if (!response.has("signature") || response.has("attestationObject")) {
      throw Json.malformed("expected an assertion response (authentication)", null);
    }
    Optional<byte[]> userHandle =
        JsonFields.optionalBytes(response, "userHandle").filter(handle -> handle.length > 0);
    return new AssertionResponse(
        rawId,
        JsonFields.bytes(response, "clientDataJSON"),
        JsonFields.bytes(response, "authenticatorData"),
        JsonFields.bytes(response, "signature"),
        userHandle);
  }

  private static ObjectNode credential(String json) throws PasskeyVerificationException {
    if (json.length() > MAX_RESPONSE_BYTES
        || json.getBytes(StandardCharsets.UTF_8).length > MAX_RESPONSE_BYTES) {
      throw new PasskeyVerificationException(
          TOO_LARGE, "response exceeds " + MAX_RESPONSE_BYTES + " bytes");
    }
    ObjectNode credential = Json.readObject(json, "credential");
    if (!"public-key".equals(JsonFields.text(credential, "type"))) {
      throw new PasskeyVerificationException(WRONG_TYPE, "credential type must be 'public-key'");
    }
    // §5.1 authenticatorAttachment is null or an AuthenticatorAttachment value; anything else is
    // not a client's
    JsonNode attachment = credential.get("authenticatorAttachment");
    if (attachment != null
        && !attachment.isNull()
        && !(attachment.isTextual() && ATTACHMENTS.contains(attachment.textValue()))) {
      throw Json.malformed(
          "'authenticatorAttachment' must be \"platform\" or \"cross-platform\"", null);
    }
    return credential;
  }

  private static byte[] rawId(ObjectNode credential) throws PasskeyVerificationException {
    byte[] rawId = JsonFields.bytes(credential, "rawId");
    if (rawId.length == 0) {
      throw Json.malformed("rawId must not be empty", null);
    }
    // WebAuthn L3 §7.1 step 25: credential IDs longer than 1023 bytes are rejected (also for
    // assertions)
    if (rawId.length > MAX_CREDENTIAL_ID_BYTES) {
      throw new PasskeyVerificationException(
          CREDENTIAL_ID_TOO_LONG, "credential ID is " + rawId.length + " bytes");
    }
    if (!Arrays.equals(rawId, JsonFields.bytes(credential, "id"))) {
      throw Json.malformed("id and rawId differ", null);
    }
    return rawId;
  }

  private static Set<String> transports(ObjectNode response) throws PasskeyVerificationException {
    JsonNode transports = response.get("transports");
    Set<String> result = new LinkedHashSet<>();
    if (transports == null || transports.isNull()) {
      return result;
    }
    if (!transports.isArray()) {
      throw Json.malformed("'transports' must be an array", null);
    }
    for (JsonNode transport : transports) {
      if (!transport.isTextual()) {
        throw Json.malformed("'transports' must contain strings", null);
      }
      if (TRANSPORTS.contains(transport.textValue())) {
        result.add(
            transport.textValue()); // §5.8.4: unknown values are hints nobody defined; not stored
      }
    }
    return result;
  }

  private static Optional<Boolean> credPropsRk(ObjectNode credential)
      throws PasskeyVerificationException {
    Optional<ObjectNode> results = JsonFields.optionalObject(credential, "clientExtensionResults");
    if (results.isEmpty()) {
      return Optional.empty();
    }
    Optional<ObjectNode> credProps = JsonFields.optionalObject(results.get(), "credProps");
    return credProps.isEmpty()
        ? Optional.empty()
        : JsonFields.optionalBoolean(credProps.get(), "rk");
  }
}
