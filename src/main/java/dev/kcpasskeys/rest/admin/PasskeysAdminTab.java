package dev.kcpasskeys.rest.admin;

import dev.kcpasskeys.config.ConsoleSettings;
import dev.kcpasskeys.config.SettingsForm;
import dev.kcpasskeys.config.SettingsUpdate;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * A "Passkeys" tab in the admin console's realm settings (Keycloak's admin UI extension SPI,
 * rendered only when Keycloak runs the experimental {@code declarative-ui} feature; every console
 * has the same form as the configuration of the "Register a passkey" required action). Saving it
 * goes through the same {@link SettingsUpdate} as the REST API: same checks, same one-step enable
 * and disable.
 */
public final class PasskeysAdminTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

  public static final String ID = ConsoleSettings.TAB_ID;

  @Override
  public String getId() {
    return ID;
  }

  @Override
  public String getHelpText() {
    return "Passkey sign-in for this realm (Keycloak Passkeys)";
  }

  @Override
  public String getPath() {
    return "/:realm/realm-settings/:tab?";
  }

  @Override
  public Map<String, String> getParams() {
    return Map.of("tab", "passkeys");
  }

  @Override
  public List<ProviderConfigProperty> getConfigProperties() {
    return SettingsForm.properties();
  }

  @Override
  public ComponentModel create(KeycloakSession session, ComponentModel model) {
    return model;
  }

  @Override
  public void validateConfiguration(
      KeycloakSession session, RealmModel realm, ComponentModel model) {
    try {
      updateFrom(model).checkAgainst(realm, requestHost(session));
    } catch (SettingsUpdate.Invalid e) {
      throw new ComponentValidationException(e.getMessage());
    }
  }

  @Override
  public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
    updateFrom(model).applyTo(realm, requestHost(session));
  }

  @Override
  public void onUpdate(
      KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
    updateFrom(newModel).applyTo(realm, requestHost(session));
  }

  static SettingsUpdate updateFrom(ComponentModel model) {
    var config = model.getConfig();
    return SettingsForm.read(config::getFirst, config::get);
  }

  private static String requestHost(KeycloakSession session) {
    return session.getContext().getUri().getBaseUri().getHost();
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
