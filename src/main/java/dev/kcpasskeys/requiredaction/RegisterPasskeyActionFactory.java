package dev.kcpasskeys.requiredaction;

import dev.kcpasskeys.support.PasskeyConstants;
import dev.kcpasskeys.support.SharedCeremony;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Thin factory for {@link RegisterPasskeyAction}. */
public final class RegisterPasskeyActionFactory implements RequiredActionFactory {

  public static final String PROVIDER_ID = PasskeyConstants.REQUIRED_ACTION_ID;

  @Override
  public String getId() {
    return PROVIDER_ID;
  }

  @Override
  public String getDisplayText() {
    return "Register a passkey (Keycloak Passkeys)";
  }

  @Override
  public RequiredActionProvider create(KeycloakSession session) {
    return new RegisterPasskeyAction(session, SharedCeremony.get());
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
