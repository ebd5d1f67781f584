package dev.kcpasskeys.notify;

import dev.kcpasskeys.ceremony.PasskeyVerificationException;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import java.util.Map;

/**
 * The one place that says how a failure is answered: the message key a page shows, the HTTP status
 * an API answers and the error its event records. Pages, APIs and events used to map reasons each
 * in their own way (message keys in the sign-in page's helper, statuses inline in the API).
 */
public final class FailureAnswers {

  /** How one failure is answered. */
  public record Answer(String messageKey, int httpStatus, String eventError) {}

  public static final String REGISTRATION_REJECTED = "passkey_registration_rejected";

  /**
   * Keycloak's {@code Errors.INVALID_USER_CREDENTIALS}, as its own forms record a failed sign-in.
   */
  public static final String SIGN_IN_REJECTED = "invalid_user_credentials";

  /** Stable codes the pages' JS posts (mapped from DOMException names), to message keys. */
  private static final Map<String, String> CLIENT =
      Map.of(
          "cancelled", "passkeyCancelled",
          "timeout", "passkeyTimeout",
          "unsupported", "passkeyUnsupported",
          "already-registered", "passkeyAlreadyRegistered",
          "security", "passkeySecurityError");

  private FailureAnswers() {}

  /** A registration past the realm's limit of passkeys per user: a conflict with what is stored. */
  public static final Answer LIMIT_REACHED =
      new Answer("passkeyLimitReached", 409, "passkey_limit_reached");

  /**
   * A synced passkey where the realm, the app, a group or a role of the user asks for device-bound
   * ones only: refused by policy, at registration (403) and at sign-in.
   */
  public static final Answer DEVICE_BOUND_REQUIRED =
      new Answer("passkeyDeviceBoundRequired", 403, "passkey_type_not_allowed");

  /**
   * What the browser reported; unknown codes (anything a client may invent) get the generic
   * message.
   */
  public static String forClientCode(String clientCode) {
    return CLIENT.getOrDefault(clientCode == null ? "" : clientCode, "passkeyFailed");
  }

  /**
   * A registration the ceremony refused: a taken credential ID is a conflict, metadata that cannot
   * be loaded a passing outage (nothing was decided about the passkey), anything else bad input.
   */
  public static Answer forRegistration(Reason reason) {
    int status =
        switch (reason) {
          case CREDENTIAL_ID_TAKEN -> 409;
          case METADATA_UNAVAILABLE -> 503;
          default -> 400;
        };
    return new Answer(messageKey(reason), status, REGISTRATION_REJECTED);
  }

  /**
   * A sign-in the ceremony refused. Unknown credential, unknown user and bad signature look the
   * same to the client (no enumeration); a counter regression is recorded as what it may be, a
   * cloned passkey.
   */
  public static Answer forSignIn(PasskeyVerificationException e) {
    String key = e.isUniformToClient() ? "passkeyNotRecognized" : messageKey(e.reason());
    String event =
        e.reason() == Reason.COUNTER_REGRESSION ? "passkey_counter_regression" : SIGN_IN_REJECTED;
    return new Answer(key, 401, event);
  }

  private static String messageKey(Reason reason) {
    return switch (reason) {
      case CREDENTIAL_ID_TAKEN -> "passkeyAlreadyRegistered";
      case AAGUID_NOT_ALLOWED, MODEL_REFUSED, ATTESTATION_UNTRUSTED -> "passkeyProviderNotAllowed";
      case METADATA_UNAVAILABLE -> "passkeyStorageUnavailable";
      case USER_VERIFICATION -> "passkeyUserVerificationRequired";
      case USER_PRESENCE -> "passkeyUserPresenceRequired";
      case ORIGIN_MISMATCH, RP_ID_MISMATCH, CROSS_ORIGIN, TOP_ORIGIN -> "passkeyWrongSite";
      case TOO_LARGE, MALFORMED, WRONG_TYPE -> "passkeyMalformed";
      default -> "passkeyFailed";
    };
  }
}
