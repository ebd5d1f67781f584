package dev.kcpasskeys.authenticator;

import dev.kcpasskeys.PasskeyIds;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Thin factory for {@link PasswordSignInCondition}. */
public final class PasswordSignInConditionFactory implements ConditionalAuthenticatorFactory {

  public static final String PROVIDER_ID = PasskeyIds.PASSWORD_SIGN_IN_CONDITION_ID;

  @Override
  public String getId() {
    return PROVIDER_ID;
  }

  @Override
  public String getDisplayType() {
    return "Condition - signed in without a passkey (Keycloak Passkeys)";
  }

  @Override
  public String getHelpText() {
    return "Matches when the user did not sign in with a passkey in this flow, e.g. to ask for OTP after a "
        + "password but not after a passkey.";
  }

  @Override
  public boolean isConfigurable() {
    return false;
  }

  @Override
  public Requirement[] getRequirementChoices() {
    return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
  }

  @Override
  public boolean isUserSetupAllowed() {
    return false;
  }

  @Override
  public List<ProviderConfigProperty> getConfigProperties() {
    return List.of();
  }

  @Override
  public ConditionalAuthenticator getSingleton() {
    return PasswordSignInCondition.INSTANCE;
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
