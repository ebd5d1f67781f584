package dev.kcpasskeys.listener;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Global, so it needs no entry in any realm's event listeners. It acts only in realms where
 * passkeys were ever switched on or off, and only on WebAuthn credential changes.
 */
public final class KeycloakCredentialChangesFactory implements EventListenerProviderFactory {

  public static final String ID = "passkeys-credential-changes";

  @Override
  public EventListenerProvider create(KeycloakSession session) {
    return new KeycloakCredentialChanges(session);
  }

  @Override
  public boolean isGlobal() {
    return true;
  }

  @Override
  public String getId() {
    return ID;
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
