package dev.kcpasskeys.ceremony;

/**
 * How the browser was asked to create the credential: {@code options.mediation} of {@code
 * navigator.credentials.create()} (Credential Management §2.3.2, WebAuthn L3 §5.1.3). The relying
 * party must know which one it asked for, because the registration ceremony checks the user
 * presence flag only when the request was not conditional (WebAuthn L3 §7.1 step 15). The caller
 * binds the mediation to the challenge it issued, never to anything the client says.
 */
public enum RegistrationMediation {

  /**
   * The browser's passkey dialog: the user confirms, so UP (and UV, as the realm requires) must be
   * set.
   */
  MODAL,

  /**
   * {@code mediation: "conditional"}: the password manager may create the passkey without any
   * dialog ("automatic passkey upgrade", right after a password sign-in). The client must not
   * collect user presence or verification then (WebAuthn L3 §5.1.3: it sets both
   * requireUserPresence and requireUserVerification to false, and throws ConstraintError when UV is
   * required but cannot be collected), so the authenticator data usually carries UP=0 and UV=0.
   */
  CONDITIONAL
}
