package dev.kcpasskeys.authenticator;

import java.util.Set;

/**
 * How a passkey sign-in started, for events and adoption metrics. The page reports autofill or
 * button; when an earlier step had already identified the user, the server knows better: {@code
 * step-up} for a user signed in before (SSO session or an earlier level of the flow), {@code
 * username-first} for a user only named by a username step.
 */
final class SignInPath {

  static final String STEP_UP = "step-up";
  static final String USERNAME_FIRST = "username-first";

  /** The user's password was right, and the realm asks users who have a passkey for it too. */
  static final String AFTER_PASSWORD = "after-password";

  private static final Set<String> REPORTED = Set.of("autofill", "button");

  private SignInPath() {}

  /** What to remember about a user an earlier step identified. */
  static String identifiedBy(boolean signedInBefore) {
    return signedInBefore ? STEP_UP : USERNAME_FIRST;
  }

  static boolean isIdentification(String note) {
    return STEP_UP.equals(note) || USERNAME_FIRST.equals(note) || AFTER_PASSWORD.equals(note);
  }

  /**
   * @param reported what the page said (anything else counts as the button)
   * @param identifiedBy {@link #identifiedBy} when an earlier step identified the user, else null
   */
  static String of(String reported, String identifiedBy) {
    if (isIdentification(identifiedBy)) {
      return identifiedBy;
    }
    return reported != null && REPORTED.contains(reported) ? reported : "button";
  }
}
