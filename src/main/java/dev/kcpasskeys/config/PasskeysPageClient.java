package dev.kcpasskeys.config;

import dev.kcpasskeys.PasskeyIds;
import java.util.Set;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * The public client the passkeys page signs users in through, shaped like Keycloak's own
 * account-console client: relative URLs under {@code ${authBaseUrl}}, code flow with PKCE only.
 * Created once; an admin's later edits are kept.
 */
public final class PasskeysPageClient {

  private PasskeysPageClient() {}

  public static ClientModel ensure(RealmModel realm) {
    ClientModel existing = realm.getClientByClientId(PasskeyIds.PAGE_CLIENT_ID);
    if (existing != null) {
      return existing;
    }
    String page = "/realms/" + realm.getName() + "/passkeys/";
    ClientModel client = realm.addClient(PasskeyIds.PAGE_CLIENT_ID);
    client.setName("Passkeys");
    client.setDescription("The passkeys page users manage their passkeys on (Keycloak Passkeys)");
    client.setProtocol("openid-connect");
    client.setEnabled(true);
    client.setPublicClient(true);
    client.setStandardFlowEnabled(true);
    client.setImplicitFlowEnabled(false);
    client.setDirectAccessGrantsEnabled(false);
    client.setServiceAccountsEnabled(false);
    client.setConsentRequired(false);
    client.setFullScopeAllowed(false);
    client.setRootUrl("${authBaseUrl}");
    client.setBaseUrl(page);
    client.setRedirectUris(Set.of(page + "*"));
    client.setWebOrigins(Set.of("+"));
    client.setAttribute("pkce.code.challenge.method", "S256");
    client.setAttribute("post.logout.redirect.uris", "+");
    return client;
  }
}
