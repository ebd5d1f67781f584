package dev.kcpasskeys.signin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the Authorization Challenge Endpoint (draft-ietf-oauth-first-party-apps §5.2): an
 * HTTP status and a JSON object, an OAuth error being {@code {"error", "error_description"}} with
 * whatever the draft or the passkey challenge adds.
 */
public record ChallengeAnswer(int status, Map<String, Object> body) {

  /** OpenID Connect's error for an acr the sign-in could not meet. */
  public static final String UNMET = "unmet_authentication_requirements";

  public ChallengeAnswer {
    body = Map.copyOf(body);
  }

  public static ChallengeAnswer error(int status, String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return new ChallengeAnswer(status, body);
  }

  /** The app must send the user through the authorization endpoint (draft §5.2.2). */
  static ChallengeAnswer redirectToWeb(String description) {
    return error(400, "redirect_to_web", description);
  }

  /** Signed in: the code for the token endpoint (draft §5.2.1). */
  static ChallengeAnswer success(String authorizationCode) {
    return new ChallengeAnswer(200, Map.of("authorization_code", authorizationCode));
  }

  /** The passkey was not accepted, or the account cannot sign in. */
  static ChallengeAnswer accessDenied(String description) {
    return error(400, "access_denied", description);
  }
}
