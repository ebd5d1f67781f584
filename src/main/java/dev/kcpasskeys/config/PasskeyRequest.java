package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.RelyingPartySettings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The relying party as this request sees it (the realm's settings and Keycloak's hostname), for
 * every page and API.
 */
public final class PasskeyRequest {

  private PasskeyRequest() {}

  public static RelyingPartySettings relyingParty(KeycloakSession session, RealmModel realm) {
    String displayName =
        realm.getDisplayName() == null || realm.getDisplayName().isBlank()
            ? realm.getName()
            : realm.getDisplayName();
    return RelyingPartyPolicy.forRequest(
            PasskeySettings.read(realm), session.getContext().getUri().getBaseUri(), displayName)
        .withHints(AssurancePolicy.read(realm).hints())
        .withAttestation(AttestationSettings.read(realm).policy());
  }

  /**
   * Options JSON for a page, base64-encoded so it can sit in an HTML attribute or a JS string in
   * any theme without an escaping mistake being possible.
   */
  public static String forPage(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  public static String userAgent(KeycloakSession session) {
    String ua = session.getContext().getRequestHeaders().getHeaderString("User-Agent");
    return ua == null ? "" : ua;
  }
}
