package dev.kcpasskeys.rest.page;

import dev.kcpasskeys.rest.ApiError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;

/**
 * Cross-site request forgery protection for the page's cookie-authenticated JSON calls. The cookie
 * alone proves nothing (a foreign site can make the browser send it), so a change also needs (a)
 * the per-session token that only the page itself embeds, in a custom header, which a cross-site
 * form cannot set, and (b) an Origin header naming this server.
 */
final class PageCsrf {

  static final String HEADER = "X-Passkeys-CSRF";
  private static final String NOTE = "passkeys.page.csrf";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PageCsrf() {}

  /** The session's token, created on the first page view of the session. */
  static String tokenFor(UserSessionModel userSession) {
    String token = userSession.getNote(NOTE);
    if (token == null || token.isBlank()) {
      byte[] random = new byte[32];
      RANDOM.nextBytes(random);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      userSession.setNote(NOTE, token);
    }
    return token;
  }

  static void verify(KeycloakSession session, UserSessionModel userSession) {
    var headers = session.getContext().getRequestHeaders();
    String origin = headers.getHeaderString("Origin");
    if (origin == null || !origin.equals(realmOrigin(session))) {
      throw new ApiError(
          403, "invalid_origin", "requests must come from the passkeys page of this server");
    }
    String expected = userSession.getNote(NOTE);
    String sent = headers.getHeaderString(HEADER);
    if (expected == null
        || sent == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiError(403, "invalid_csrf_token", "reload the passkeys page and try again");
    }
  }

  /** scheme://host[:port] of this request's base URI (the hostname Keycloak is configured with). */
  static String realmOrigin(KeycloakSession session) {
    URI base = session.getContext().getUri().getBaseUri();
    return base.getScheme()
        + "://"
        + base.getHost()
        + (base.getPort() == -1 ? "" : ":" + base.getPort());
  }
}
