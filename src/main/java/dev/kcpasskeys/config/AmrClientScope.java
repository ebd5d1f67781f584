package dev.kcpasskeys.config;

import dev.kcpasskeys.PasskeyIds;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;

/**
 * The {@code amr} claim out of the box: a client scope with the passkeys AMR mapper that enabling
 * makes a default scope of the realm (for apps created later) and of every OpenID Connect app it
 * has, so that apps learn a passkey was used without an admin adding a mapper. Our mapper runs
 * after Keycloak's own AMR mapper and writes the same claim with a superset of its values, so a
 * client that already has Keycloak's mapper still gets one {@code amr}. Disabling removes exactly
 * this scope, which only enabling creates.
 */
final class AmrClientScope {

  static final String NAME = "passkeys-amr";
  private static final String OIDC = "openid-connect";

  private AmrClientScope() {}

  /** Adds the scope everywhere when {@code wanted}, else removes it. */
  static void apply(RealmModel realm, boolean wanted) {
    ClientScopeModel scope = find(realm);
    if (!wanted) {
      if (scope != null) {
        ClientScopeModel existing = scope;
        realm.getClientsStream().forEach(client -> client.removeClientScope(existing));
        realm.removeDefaultClientScope(scope);
        realm.removeClientScope(scope.getId());
      }
      return;
    }
    if (scope == null) {
      scope = create(realm);
    }
    ClientScopeModel added = scope;
    // Enabling runs again on every settings change: each step adds only what is missing.
    if (realm.getDefaultClientScopesStream(true).noneMatch(s -> s.getId().equals(added.getId()))) {
      realm.addDefaultClientScope(scope, true);
    }
    realm
        .getClientsStream()
        .filter(client -> OIDC.equals(protocolOf(client)))
        .filter(
            client ->
                !client.getClientScopes(true).containsKey(NAME)
                    && !client.getClientScopes(false).containsKey(NAME))
        .forEach(client -> client.addClientScope(added, true));
  }

  static ClientScopeModel find(RealmModel realm) {
    return realm
        .getClientScopesStream()
        .filter(s -> NAME.equals(s.getName()))
        .findFirst()
        .orElse(null);
  }

  private static ClientScopeModel create(RealmModel realm) {
    ClientScopeModel scope = realm.addClientScope(NAME);
    scope.setProtocol(OIDC);
    scope.setDescription(
        "The amr claim with passkey sign-ins (hwk/swk, user, mfa, pwd); added and removed by "
            + "Keycloak Passkeys when passkeys are enabled or disabled");
    scope.setDisplayOnConsentScreen(false);
    scope.setIncludeInTokenScope(false);
    ProtocolMapperModel mapper = new ProtocolMapperModel();
    mapper.setName("amr (passkeys)");
    mapper.setProtocol(OIDC);
    mapper.setProtocolMapper(PasskeyIds.AMR_MAPPER_ID);
    mapper.setConfig(
        new java.util.HashMap<>(
            Map.of(
                "id.token.claim",
                "true",
                "access.token.claim",
                "true",
                "introspection.token.claim",
                "true",
                "userinfo.token.claim",
                "true")));
    scope.addProtocolMapper(mapper);
    return scope;
  }

  private static String protocolOf(ClientModel client) {
    return client.getProtocol() == null ? OIDC : client.getProtocol();
  }
}
