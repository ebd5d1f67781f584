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

  LoginPageModel(String options, boolean userKnown, String username, String unknownCredentialId, String rpId) {
    this.options = options;
    this.userKnown = userKnown;
    this.username = username;
    this.unknownCredentialId = unknownCredentialId;
    this.rpId = rpId;
  }

  /** Request options JSON, base64: safe in any HTML or JS context. */
  public String getOptions() {
    return options;
  }

  public boolean isUserKnown() {
    return userKnown;
  }

  public String getUsername() {
    return username;
  }

  /** A credential id (base64url) no user of this realm owns: the page asks the password manager to forget it. */
  public String getUnknownCredentialId() {
    return unknownCredentialId;
  }

  public String getRpId() {
    return rpId;
  }
}
