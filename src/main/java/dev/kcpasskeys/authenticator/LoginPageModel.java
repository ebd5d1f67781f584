package dev.kcpasskeys.authenticator;

/**
 * What passkey-login.ftl reads (as {@code passkeyLogin}). Getters, because FreeMarker reads beans.
 */
public final class LoginPageModel {

  private final String options;
  private final boolean userKnown;
  private final String username;
  private final String unknownCredentialId;
  private final String rpId;
  private final boolean rememberMe;
  private final boolean passkeyRequired;

  LoginPageModel(
      String options,
      boolean userKnown,
      String username,
      String unknownCredentialId,
      String rpId,
      boolean rememberMe,
      boolean passkeyRequired) {
    this.options = options;
    this.userKnown = userKnown;
    this.username = username;
    this.unknownCredentialId = unknownCredentialId;
    this.rpId = rpId;
    this.rememberMe = rememberMe;
    this.passkeyRequired = passkeyRequired;
  }

  /** The app asked for a phishing-resistant sign-in: no password form, and a way back to it. */
  public boolean isPasskeyRequired() {
    return passkeyRequired;
  }

  public boolean isRememberMe() {
    return rememberMe;
  }

  /** Request options JSON, base64: safe in any HTML or JS context. */
  public String getOptions() {
    return options;
  }

  public boolean isUserKnown() {
    return userKnown;
  }

  /** The known user's name (step-up), or what the user typed or the app hinted (login_hint). */
  public String getUsername() {
    return username;
  }

  /**
   * A credential id (base64url) no user of this realm owns: the page asks the password manager to
   * forget it.
   */
  public String getUnknownCredentialId() {
    return unknownCredentialId;
  }

  public String getRpId() {
    return rpId;
  }
}
