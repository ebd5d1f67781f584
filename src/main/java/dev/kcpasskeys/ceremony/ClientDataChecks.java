package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.CHALLENGE_MISMATCH;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.CROSS_ORIGIN;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.ORIGIN_MISMATCH;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.TOP_ORIGIN;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.WRONG_TYPE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Our own checks of the collected client data. At registration they run before webauthn4j sees the
 * response, so that every rejection has a precise reason, and because webauthn4j only looks at
 * topOrigin when crossOrigin is true. At authentication they are the only client-data checks.
 */
final class ClientDataChecks {

  /** Which ceremony the client data belongs to. */
  enum Ceremony {
    REGISTRATION("webauthn.create"),
    AUTHENTICATION("webauthn.get");

    private final String clientDataType;

    Ceremony(String clientDataType) {
      this.clientDataType = clientDataType;
    }
  }

  private ClientDataChecks() {}

  static void verify(
      byte[] clientDataJson, Ceremony ceremony, RelyingPartySettings rp, byte[] expectedChallenge)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.1 step 6: parse C from clientDataJSON (duplicate keys rejected)
    // WebAuthn L3 §7.2 step 9: parse C from cData (duplicate keys rejected)
    ObjectNode c = Json.readObject(clientDataJson, "clientDataJSON");
    verifyType(c, ceremony);
    verifyChallenge(c, expectedChallenge);
    verifyOrigin(c, rp);
    verifyNotCrossOrigin(c);
    verifyNoTopOrigin(c);
    verifyNoTokenBinding(c);
  }

  private static void verifyType(ObjectNode c, Ceremony ceremony)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.1 step 7: C.type must be "webauthn.create"
    // WebAuthn L3 §7.2 step 10: C.type must be "webauthn.get"
    String type = JsonFields.text(c, "type");
    if (!ceremony.clientDataType.equals(type)) {
      throw new PasskeyVerificationException(
          WRONG_TYPE, "clientData type must be " + ceremony.clientDataType);
    }
  }

  private static void verifyChallenge(ObjectNode c, byte[] expected)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.1 step 8: C.challenge equals base64url(options.challenge) (compared in
    // constant time)
    // WebAuthn L3 §7.2 step 11: C.challenge equals base64url(options.challenge) (compared in
    // constant time)
    String presented = JsonFields.text(c, "challenge");
    byte[] expectedText = Base64Url.encode(expected).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expectedText, presented.getBytes(StandardCharsets.UTF_8))) {
      throw new PasskeyVerificationException(CHALLENGE_MISMATCH, "challenge does not match");
    }
  }

  private static void verifyOrigin(ObjectNode c, RelyingPartySettings rp)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.1 step 9: C.origin is exactly one of the RP's origins (no wildcards, no prefix
    // match)
    // WebAuthn L3 §7.2 step 12: C.origin is exactly one of the RP's origins (no wildcards, no
    // prefix match)
    String origin = JsonFields.text(c, "origin");
    if (!rp.origins().contains(origin)) {
      throw new PasskeyVerificationException(ORIGIN_MISMATCH, "origin not allowed: " + origin);
    }
  }

  private static void verifyNotCrossOrigin(ObjectNode c) throws PasskeyVerificationException {
    // WebAuthn L3 §7.1 step 10: crossOrigin=true is rejected: we never expect to run inside a
    // foreign iframe
    // WebAuthn L3 §7.2 step 13: crossOrigin=true is rejected: we never expect to run inside a
    // foreign iframe
    Optional<Boolean> crossOrigin = JsonFields.optionalBoolean(c, "crossOrigin");
    if (crossOrigin.orElse(false)) {
      throw new PasskeyVerificationException(
          CROSS_ORIGIN, "cross-origin ceremonies are not accepted");
    }
  }

  private static void verifyNoTopOrigin(ObjectNode c) throws PasskeyVerificationException {
    // WebAuthn L3 §7.1 step 11: ANY topOrigin is rejected, whatever crossOrigin says (no
    // sub-framing expected)
    // WebAuthn L3 §7.2 step 14: ANY topOrigin is rejected, whatever crossOrigin says (no
    // sub-framing expected)
    if (c.has("topOrigin")) {
      throw new PasskeyVerificationException(
          TOP_ORIGIN, "topOrigin present: sub-framed ceremonies are " + "not accepted");
    }
  }

  private static void verifyNoTokenBinding(ObjectNode c) throws PasskeyVerificationException {
    // WebAuthn L2 §7.1 step 10 and §7.2 step 14 (dropped in L3): a Token Binding the client reports
    // as
    // "present" must be the connection's; we never negotiate one, so "present" cannot match
    Optional<ObjectNode> tokenBinding = JsonFields.optionalObject(c, "tokenBinding");
    if (tokenBinding.isPresent()
        && "present".equals(JsonFields.text(tokenBinding.get(), "status"))) {
      throw Json.malformed(
          "tokenBinding is present, but this server does not use Token Binding", null);
    }
  }
}
