package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.SoftCredential;

/** Users with a registered software passkey, made over HTTP the way a person would make them. */
public final class PasskeyAccounts {

  public static final String REGISTER_ACTION = "passkey-register";

  /** A user, their password, and the software authenticator that holds their passkey. */
  public record Account(
      String username, String password, String userId, SoftAuthenticator authenticator) {
    public SoftCredential credential() {
      return authenticator.lastCredential();
    }
  }

  private final TestRealm realm;
  private final Oidc oidc;

  public PasskeyAccounts(TestRealm realm) {
    this.realm = realm;
    this.oidc = new Oidc(realm);
  }

  public String origin() {
    return realm.server().baseUrl();
  }

  /** A new browser on the realm's login page. */
  public HttpLogin loginPage() {
    HttpLogin login = new HttpLogin(origin());
    login.open(oidc.authorizationUrl());
    assertTrue(login.last().isLoginPage(), "expected the login page: " + login.last());
    return login;
  }

  /** A new user, signed in with the password, left on the passkey registration page. */
  public HttpLogin registrationPage(String username) {
    realm.createUser(username, password(username), REGISTER_ACTION);
    HttpLogin login = loginPage();
    login.passwordSignIn(username, password(username));
    assertTrue(
        login.last().isRegistrationPage(), "expected the registration page: " + login.last());
    return login;
  }

  /**
   * A new user with one passkey (registered during a password sign-in, whose session is then
   * forgotten).
   */
  public Account withPasskey(String username, SoftAuthenticator authenticator) {
    HttpLogin login = registrationPage(username);
    HttpLogin.Result done =
        login.register(username + "'s passkey", authenticator.register(login.last().options()));
    assertNotNull(done.code(), "registration should end at the client: " + done);
    return new Account(username, password(username), realm.userId(username), authenticator);
  }

  public Account withPasskey(String username) {
    return withPasskey(username, new SoftAuthenticator(origin()));
  }

  public static String password(String username) {
    return username + "-password-1";
  }
}
