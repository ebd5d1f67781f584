package dev.kcpasskeys.listener;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Global, so it needs no entry in any realm's event listeners; it acts only on admin events. */
public final class ConsoleSettingsChangesFactory implements EventListenerProviderFactory {

  public static final String ID = "passkeys-console-settings";

  @Override
  public EventListenerProvider create(KeycloakSession session) {
    return new ConsoleSettingsChanges(session);
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
