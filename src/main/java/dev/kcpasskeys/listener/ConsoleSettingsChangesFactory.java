package dev.kcpasskeys.listener;

import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;

/** Creates {@link ConsoleSettingsChanges}; it acts only on admin events. */
public final class ConsoleSettingsChangesFactory extends GlobalListenerFactory {

  public static final String ID = "passkeys-console-settings";

  @Override
  public EventListenerProvider create(KeycloakSession session) {
    return new ConsoleSettingsChanges(session);
  }

  @Override
  public String getId() {
    return ID;
  }
}
