package dev.kcpasskeys.requiredaction;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.SettingsForm;
import dev.kcpasskeys.config.SettingsUpdate;
import dev.kcpasskeys.config.SharedCeremony;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/**
 * Thin factory for {@link RegisterPasskeyAction}. Its configuration (the gear in Authentication →
 * Required actions) is the realm's passkey settings, so an admin of a default Keycloak, without the
 * experimental {@code declarative-ui} feature, enables passkeys and changes every setting there.
 * Keycloak validates a required action's configuration before it saves it, so a refused value
 * changes nothing, with the REST API's checks and reasons; the settings are applied when the saved
 * configuration's admin event arrives ({@code listener.ConsoleSettingsChanges}), in the same
 * transaction.
 */
public final class RegisterPasskeyActionFactory implements RequiredActionFactory {

  public static final String PROVIDER_ID = PasskeyIds.REQUIRED_ACTION_ID;

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
  public boolean isConfigurable() {
    return true;
  }

  @Override
  public List<ProviderConfigProperty> getConfigMetadata() {
    return SettingsForm.properties();
  }

  @Override
  public void validateConfig(
      KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
    try {
      SettingsForm.read(model.getConfig())
          .checkAgainst(realm, session.getContext().getUri().getBaseUri().getHost());
    } catch (SettingsUpdate.Invalid refused) {
      throw new ValidationException(
          new ValidationError(PROVIDER_ID, refused.code(), refused.getMessage()));
    }
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
