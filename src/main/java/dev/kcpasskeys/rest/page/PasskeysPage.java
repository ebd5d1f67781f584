package dev.kcpasskeys.rest.page;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.credential.PasskeyStore;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code GET /realms/{realm}/passkeys/}: the signed-in user's passkeys, rendered on the server with
 * the login theme. A browser without a session is sent to sign in and comes back through {@code
 * /callback}. Nothing here changes state (changes go through {@link PasskeysPageApi}).
 */
public final class PasskeysPage {

  private final KeycloakSession session;
  private final RealmModel realm;

  public PasskeysPage(KeycloakSession session) {
    this.session = session;
    this.realm = session.getContext().getRealm();
  }

  public Response show(String clientId, String redirectUri) {
    if (realm.getClientByClientId(PasskeyIds.PAGE_CLIENT_ID) == null) {
      return Response.status(404)
          .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
          .entity("Passkeys are not enabled in this realm.")
          .build();
    }
    BackLink.Request back = BackLink.Request.of(clientId, redirectUri);
    Optional<PageVisitor> visitor = PageVisitor.fromCookie(session, realm);
    if (visitor.isEmpty()) {
      return Response.status(302)
          .location(PageSignIn.authorizationUrl(session, realm, back, false, false))
          .header("Cache-Control", "no-store")
          .build();
    }
    String html =
        new PageRenderer(session, realm).render(visitor.get().user(), model(visitor.get(), back));
    return secured(Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))).build();
  }

  /** Where sign-in sends the browser back: the identity cookie is set by now, so show the page. */
  public Response callback(String state) {
    BackLink.Request back = BackLink.Request.fromState(state);
    return Response.status(302)
        .location(PageSignIn.pageUrl(session, realm, back))
        .header("Cache-Control", "no-store")
        .build();
  }

  private Map<String, Object> model(PageVisitor visitor, BackLink.Request back) {
    UserModel user = visitor.user();
    String signedInWith = visitor.userSession().getNote(PasskeyIds.SIGNED_IN_WITH_NOTE);
    List<Map<String, Object>> passkeys =
        new PasskeyStore(session, realm)
            .listWithUsage(user).stream().map(p -> PasskeyListItem.of(p, signedInWith)).toList();
    Map<String, Object> model = new HashMap<>();
    model.put("passkeys", passkeys);
    model.put("csrfToken", PageCsrf.tokenFor(visitor.userSession()));
    model.put(
        "apiUrl", PageSignIn.pageUrl(session, realm, BackLink.Request.NONE).getPath() + "page");
    model.put(
        "reauthUrl", PageSignIn.authorizationUrl(session, realm, back, true, false).toString());
    model.put(
        "reauthPasskeyUrl",
        PageSignIn.authorizationUrl(session, realm, back, true, true).toString());
    model.put("rpId", PasskeyRequest.relyingParty(session, realm).rpId());
    model.put(
        "userHandle",
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(user.getId().getBytes(StandardCharsets.UTF_8)));
    model.put("username", user.getUsername());
    model.put("displayName", displayName(user));
    BackLink.verify(session, realm, back)
        .ifPresent(
            link -> model.put("backLink", Map.of("name", link.appName(), "url", link.url())));
    return model;
  }

  static String displayName(UserModel user) {
    String full =
        ((user.getFirstName() == null ? "" : user.getFirstName())
                + " "
                + (user.getLastName() == null ? "" : user.getLastName()))
            .trim();
    return full.isEmpty() ? user.getUsername() : full;
  }

  /** The page embeds a CSRF token: never cached, never framed, no referrer leaks. */
  static Response.ResponseBuilder secured(Response.ResponseBuilder response) {
    return response
        .header("Cache-Control", "no-store")
        .header("X-Frame-Options", "DENY")
        .header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff");
  }
}
