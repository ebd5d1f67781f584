package dev.kcpasskeys.authenticator;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.SharedCeremony;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;

/** Thin factory for {@link PasskeyAuthenticator}; the provider is per request. */
public final class PasskeyAuthenticatorFactory implements AuthenticatorFactory {

  public static final String PROVIDER_ID = PasskeyIds.AUTHENTICATOR_ID;

  @Override
  public String getId() {
    return PROVIDER_ID;
  }

  @Override
  public String getDisplayType() {
    return "Passkey sign-in (Keycloak Passkeys)";
  }

  @Override
  public String getHelpText() {
    return "Sign in with a discoverable passkey: a 'Sign in with a passkey' button and passkey autofill on the "
        + "username field, with the password on the same page as fallback. When the user is already known "
        + "(step-up, second factor) only that user's passkeys are accepted.";
  }

  /**
   * "password", because the page checks passwords: Keycloak's brute-force protector counts a failed
   * attempt only for an authenticator whose category is password, otp or recovery-authn-codes. With
   * any other category every wrong password on the page went uncounted (issue #16). Passkey
   * failures do not reach that automatic count: {@link FailedAttempts} decides which of them count,
   * and how.
   */
  @Override
  public String getReferenceCategory() {
    return PasswordCredentialModel.TYPE;
  }

  @Override
  public boolean isConfigurable() {
    return false;
  }

  @Override
  public Requirement[] getRequirementChoices() {
    return new Requirement[] {Requirement.REQUIRED, Requirement.ALTERNATIVE, Requirement.DISABLED};
  }

  @Override
  public boolean isUserSetupAllowed() {
    return true;
  }

  @Override
  public List<ProviderConfigProperty> getConfigProperties() {
    return List.of();
  }

  @Override
  public Authenticator create(KeycloakSession session) {
    return new PasskeyAuthenticator(session, SharedCeremony.get());
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
