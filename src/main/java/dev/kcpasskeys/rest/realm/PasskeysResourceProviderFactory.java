package dev.kcpasskeys.rest.realm;

import dev.kcpasskeys.PasskeyIds;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts {@code /realms/{realm}/passkeys}: the passkeys page and the API for apps. */
public final class PasskeysResourceProviderFactory implements RealmResourceProviderFactory {

  @Override
  public String getId() {
    return PasskeyIds.RESOURCE_ID;
  }

  @Override
  public RealmResourceProvider create(KeycloakSession session) {
    return new PasskeysResourceProvider(session);
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
