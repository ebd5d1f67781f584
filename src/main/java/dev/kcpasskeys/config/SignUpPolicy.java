package dev.kcpasskeys.config;

import java.util.Optional;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Passkey-first sign-up: new users register with their e-mail address and a passkey, no password.
 * Realm attributes hold the switch and the registration flow to restore; a user attribute marks an
 * account whose sign-up is not finished yet (no passkey so far).
 *
 * @param passkeyFirst off by default; acts only while passkeys are enabled
 * @param previousRegistrationFlow the registration flow to bind again when it is switched off
 */
public record SignUpPolicy(boolean passkeyFirst, Optional<String> previousRegistrationFlow) {

  static final String PASSKEY_FIRST = "passkeys.signup.passkeyFirst";
  static final String PREVIOUS_FLOW = "passkeys.signup.previousRegistrationFlow";

  /** User attribute: signed up without a password and has not created the first passkey yet. */
  static final String USER_PENDING = "passkeys.signup.pending";

  public static SignUpPolicy read(RealmModel realm) {
    return new SignUpPolicy(
        Boolean.parseBoolean(realm.getAttribute(PASSKEY_FIRST)),
        PasskeySettings.nonBlank(realm.getAttribute(PREVIOUS_FLOW)));
  }

  public void write(RealmModel realm) {
    realm.setAttribute(PASSKEY_FIRST, Boolean.toString(passkeyFirst));
    if (previousRegistrationFlow.isEmpty()) {
      realm.removeAttribute(PREVIOUS_FLOW);
    } else {
      realm.setAttribute(PREVIOUS_FLOW, previousRegistrationFlow.get());
    }
  }

  SignUpPolicy withPasskeyFirst(boolean value) {
    return new SignUpPolicy(value, previousRegistrationFlow);
  }

  SignUpPolicy withPreviousRegistrationFlow(Optional<String> alias) {
    return new SignUpPolicy(passkeyFirst, alias);
  }

  /**
   * Marks a new account as signed up without a password; its first passkey finishes the sign-up.
   */
  public static void markPending(UserModel user) {
    user.setSingleAttribute(USER_PENDING, "true");
  }

  public static boolean pending(UserModel user) {
    return Boolean.parseBoolean(user.getFirstAttribute(USER_PENDING));
  }

  public static void finish(UserModel user) {
    user.removeAttribute(USER_PENDING);
  }
}
