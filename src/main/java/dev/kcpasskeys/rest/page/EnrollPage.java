package dev.kcpasskeys.rest.page;

import dev.kcpasskeys.config.PasskeySettings;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/**
 * {@code GET /realms/{realm}/passkeys/enroll#<ticket>}: where the link of a backend-started
 * registration leads. The ticket stays in the URL fragment, so it never reaches a server log or a
 * referrer; the page's script reads it and completes the registration with the realm's public
 * passkeys.js. Nobody is signed in, before or after.
 */
public final class EnrollPage {

  static final String TEMPLATE = "passkeys-enroll.ftl";

  private final KeycloakSession session;
  private final RealmModel realm;

  public EnrollPage(KeycloakSession session) {
    this.session = session;
    this.realm = session.getContext().getRealm();
  }

  public Response show() {
    if (!PasskeySettings.read(realm).enabled()) {
      return Response.status(404)
          .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
          .entity("Passkeys are not enabled in this realm.")
          .build();
    }
    String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
    String html =
        new PageRenderer(session, realm)
            .render(TEMPLATE, null, Map.of("issuer", issuer, "accountUrl", issuer + "/account/"));
    return PasskeysPage.secured(Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")))
        .build();
  }
}
