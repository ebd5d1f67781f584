package dev.kcpasskeys.rest.admin;

import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.config.SettingsUpdate;
import dev.kcpasskeys.config.SignUpPolicy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * A "Passkeys" tab in the admin console's realm settings (Keycloak's admin UI extension SPI).
 * Saving it goes through the same {@link SettingsUpdate} as the REST API: same checks, same
 * one-step enable and disable.
 */
public final class PasskeysAdminTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

  public static final String ID = "Passkeys";

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
    return ProviderConfigurationBuilder.create()
        .property().name("enabled").label("Passkeys enabled").type(ProviderConfigProperty.BOOLEAN_TYPE)
        .helpText("Makes the 'passkeys browser' flow the realm's browser flow and enables 'Register a passkey'. "
            + "Switching off restores the previous browser flow.").add()
        .property().name("rp_id").label("RP ID").type(ProviderConfigProperty.STRING_TYPE)
        .helpText("Empty: the host users sign in at. A parent domain (example.com) lets passkeys work on its "
            + "subdomains.").add()
        .property().name("rp_name").label("RP name").type(ProviderConfigProperty.STRING_TYPE)
        .helpText("Shown in the passkey dialog. Empty: the realm's display name.").add()
        .property().name("origins").label("Extra origins").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
        .helpText("Sibling sites (https://accounts.example.com) and apps (android:apk-key-hash:...).").add()
        .property().name("allowed_aaguids").label("Allowed authenticators (AAGUIDs)")
        .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
        .helpText("Empty allows any passkey provider.").add()
        .property().name("notify_email").label("E-mail users about passkey changes")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .helpText("Sends users a security e-mail when a passkey is added to or removed from their account "
            + "(needs the realm's e-mail settings and a user e-mail address).").add()
        .property().name("passkey_first_sign_up").label("Passkey-first sign-up").type(ProviderConfigProperty.BOOLEAN_TYPE)
        .helpText("New users sign up with their e-mail address and a passkey, no password: binds the 'passkeys "
            + "registration' flow while passkeys are enabled. Needs 'User registration' on and the realm's e-mail "
            + "settings; switching off restores the previous registration flow.").add()
        .property().name("upgrade_enabled").label("Automatic passkey upgrades")
        .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
        .helpText("Right after a password sign-in, ask the browser's password manager to create a passkey "
            + "without a dialog (conditional create) where it can; otherwise the nudge, if on, is shown.").add()
        .property().name("amr_claim").label("amr claim for every app")
        .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
        .helpText("Enabling adds the 'passkeys-amr' client scope to every app, so tokens say how the user signed "
            + "in (hwk/swk, user, mfa, pwd). Switching off removes that scope.").add()
        .property().name("two_factor_keys_sign_in").label("Two-factor security keys sign in on their own")
        .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
        .helpText("Off: a security key set up as Keycloak's second factor ('webauthn') only works after the "
            + "password, as before. On: it signs in like a passkey, without the password.").add()
        .build();
  }

  @Override
  public ComponentModel create(KeycloakSession session, ComponentModel model) {
    return model;
  }

  @Override
  public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
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
  public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
    updateFrom(newModel).applyTo(realm, requestHost(session));
  }

  /** Keeps the tab's stored values in step after a change through the REST API. */
  static void syncComponent(RealmModel realm, PasskeySettings settings) {
    realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
        .filter(c -> ID.equals(c.getProviderId())).forEach(c -> {
          c.getConfig().putSingle("enabled", Boolean.toString(settings.enabled()));
          c.getConfig().putSingle("rp_id", settings.rpId().orElse(""));
          c.getConfig().putSingle("rp_name", settings.rpName().orElse(""));
          c.getConfig().put("origins", settings.origins());
          c.getConfig().put("allowed_aaguids", settings.allowedAaguids().stream().map(UUID::toString).toList());
          c.getConfig().putSingle("notify_email", Boolean.toString(settings.notifyEmail()));
          c.getConfig().putSingle("passkey_first_sign_up", Boolean.toString(SignUpPolicy.read(realm).passkeyFirst()));
          c.getConfig().putSingle("upgrade_enabled", Boolean.toString(PasskeySettings.upgradeEnabled(realm)));
          c.getConfig().putSingle("amr_claim", Boolean.toString(PasskeySettings.amrClaim(realm)));
          c.getConfig().putSingle("two_factor_keys_sign_in", Boolean.toString(PasskeySettings.twoFactorKeysSignIn(realm)));
          realm.updateComponent(c);
        });
  }

  static SettingsUpdate updateFrom(ComponentModel model) {
    var config = model.getConfig();
    // A tab saved before an option existed has no value for it: keep what the realm has.
    String notify = config.getFirst("notify_email");
    String upgrade = config.getFirst("upgrade_enabled");
    String amr = config.getFirst("amr_claim");
    String twoFactorKeys = config.getFirst("two_factor_keys_sign_in");
    return new SettingsUpdate(Boolean.parseBoolean(config.getFirst("enabled")), nullToEmpty(config.getFirst("rp_id")),
        nullToEmpty(config.getFirst("rp_name")), values(config.get("origins")), null, null,
        values(config.get("allowed_aaguids")), null, null, null, null, notify == null ? null : Boolean.parseBoolean(notify),
        Boolean.parseBoolean(config.getFirst("passkey_first_sign_up")),
        optionalBoolean(upgrade), optionalBoolean(twoFactorKeys), optionalBoolean(amr));
  }

  private static Boolean optionalBoolean(String value) {
    return value == null || value.isBlank() ? null : Boolean.parseBoolean(value);
  }

  private static List<String> values(List<String> list) {
    return list == null ? List.of() : list.stream().filter(v -> v != null && !v.isBlank()).toList();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
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
