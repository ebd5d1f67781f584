package dev.kcpasskeys.rest.realm;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Per-request provider for the realm resource. */
final class PasskeysResourceProvider implements RealmResourceProvider {

  private final KeycloakSession session;

  PasskeysResourceProvider(KeycloakSession session) {
    this.session = session;
  }

  @Override
  public Object getResource() {
    return new PasskeysRealmResource(session);
  }

  @Override
  public void close() {}
}
