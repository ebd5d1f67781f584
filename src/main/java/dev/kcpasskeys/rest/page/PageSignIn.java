package dev.kcpasskeys.rest.page;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.AcrLevels;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/**
 * Sends the browser through the realm's own sign-in (as the {@code passkeys-page} client) and back
 * to the page. The page needs only the identity cookie that sign-in sets, so the code sent to the
 * callback is never redeemed; PKCE is still sent because the client requires it.
 */
final class PageSignIn {

  private static final SecureRandom RANDOM = new SecureRandom();

  private PageSignIn() {}

  /**
   * @param backLink where "Back to the app" should go afterwards, carried through {@code state}
   *     (checked again when the page is shown, so a forged state cannot do harm)
   * @param again {@code prompt=login}: a fresh sign-in even with an SSO session (stale sign-in)
   * @param withPasskey {@code acr_values=phr}: the sign-in must be a passkey (adding or deleting
   *     passkeys for a user who has one)
   */
  static URI authorizationUrl(
      KeycloakSession session,
      RealmModel realm,
      BackLink.Request backLink,
      boolean again,
      boolean withPasskey) {
    URI base = session.getContext().getUri().getBaseUri();
    UriBuilder auth =
        UriBuilder.fromUri(
                Urls.realmBase(base)
                    .path("{realm}/protocol/openid-connect/auth")
                    .build(realm.getName()))
            .queryParam("client_id", PasskeyIds.PAGE_CLIENT_ID)
            .queryParam("redirect_uri", callbackUrl(session, realm))
            .queryParam("response_type", "code")
            .queryParam("scope", "openid")
            .queryParam("state", backLink.toState())
            .queryParam("code_challenge", challenge())
            .queryParam("code_challenge_method", "S256");
    if (again) {
      auth.queryParam("prompt", "login");
    }
    if (withPasskey) {
      auth.queryParam("acr_values", AcrLevels.PHR);
    }
    return auth.build();
  }

  static URI callbackUrl(KeycloakSession session, RealmModel realm) {
    return pageBase(session, realm).path("callback").build();
  }

  static URI pageUrl(KeycloakSession session, RealmModel realm, BackLink.Request backLink) {
    UriBuilder page = pageBase(session, realm).path("/");
    backLink.clientId().ifPresent(id -> page.queryParam("client_id", id));
    backLink.redirectUri().ifPresent(uri -> page.queryParam("redirect_uri", uri));
    return page.build();
  }

  private static UriBuilder pageBase(KeycloakSession session, RealmModel realm) {
    URI base = session.getContext().getUri().getBaseUri();
    return UriBuilder.fromUri(Urls.realmBase(base).path("{realm}/passkeys").build(realm.getName()));
  }

  private static String challenge() {
    byte[] verifier = new byte[32];
    RANDOM.nextBytes(verifier);
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(verifier);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(encoded.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
