package dev.kcpasskeys.listener;

import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Creates {@link KeycloakCredentialChanges}: only in realms where passkeys were ever switched on or
 * off, only on WebAuthn credential changes.
 */
public final class KeycloakCredentialChangesFactory extends GlobalListenerFactory {

  public static final String ID = "passkeys-credential-changes";

  @Override
  public EventListenerProvider create(KeycloakSession session) {
    return new KeycloakCredentialChanges(session);
  }

  @Override
  public String getId() {
    return ID;
  }
}
