package dev.kcpasskeys.listener;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * A listener Keycloak calls for every realm, with no entry in any realm's event listeners: the
 * extension's listeners keep its own records in step, which no admin should have to switch on.
 */
abstract class GlobalListenerFactory implements EventListenerProviderFactory {

  @Override
  public final boolean isGlobal() {
    return true;
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
