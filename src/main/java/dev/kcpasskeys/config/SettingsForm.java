package dev.kcpasskeys.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Every passkey setting as a form of Keycloak config properties, for the admin console: the gear of
 * "Passkeys" in Authentication → Required actions (any Keycloak) and the Realm settings tab (with
 * {@code declarative-ui}). One list of fields, one way to read a saved form into a {@link
 * SettingsUpdate} (so the console is validated exactly as the REST API is) and one way to show the
 * settings in force. Field names are the REST API's JSON names.
 */
public final class SettingsForm {

  public static final String ENABLED = "enabled";

  /** How Keycloak joins the values of a multivalued field in a flat config map. */
  static final String DELIMITER = "##";

  private SettingsForm() {}

  public static List<ProviderConfigProperty> properties() {
    return ProviderConfigurationBuilder.create()
        .property()
        .name(ENABLED)
        .label("Passkeys enabled")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .defaultValue("false")
        .helpText(
            "Makes the 'passkeys browser' flow (Authentication → Flows: your browser flow with the passkey "
                + "page in place of the username and password form) the browser flow, and enables 'Register a passkey'. "
                + "Off restores the previous browser flow. Stored passkeys are never touched.")
        .add()
        .property()
        .name("rp_id")
        .label("RP ID")
        .type(ProviderConfigProperty.STRING_TYPE)
        .helpText(
            "Empty: the host users sign in at. A parent domain (example.com) lets passkeys work on its "
                + "subdomains.")
        .add()
        .property()
        .name("rp_name")
        .label("RP name")
        .type(ProviderConfigProperty.STRING_TYPE)
        .helpText(
            "Shown in the passkey dialog (at most 128 characters). Empty: the realm's display name.")
        .add()
        .property()
        .name("origins")
        .label("Extra origins")
        .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
        .helpText(
            "Sibling sites (https://accounts.example.com) and apps (android:apk-key-hash:...).")
        .add()
        .property()
        .name("allowed_aaguids")
        .label("Allowed authenticators (AAGUIDs)")
        .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
        .helpText("Empty allows any passkey provider.")
        .add()
        .property()
        .name("two_factor_keys_sign_in")
        .label("Two-factor security keys sign in on their own")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .defaultValue("false")
        .helpText(
            "Off: a security key set up as Keycloak's second factor ('webauthn') only works after the "
                + "password, as before. On: it signs in like a passkey, without the password.")
        .add()
        .property()
        .name("amr_claim")
        .label("amr claim for every app")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .defaultValue("true")
        .helpText(
            "Enabling adds the 'passkeys-amr' client scope to every app, so tokens say how the user signed "
                + "in (hwk/swk, user, mfa, pwd). Off removes that scope.")
        .add()
        .property()
        .name("upgrade_enabled")
        .label("Automatic passkey upgrades")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .defaultValue("true")
        .helpText(
            "Right after a password sign-in, ask the browser's password manager to create a passkey "
                + "without a dialog (conditional create) where it can; otherwise the nudge, if on, is shown.")
        .add()
        .property()
        .name("nudge_enabled")
        .label("Offer a passkey after password sign-ins")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .defaultValue("false")
        .helpText(
            "'Sign in faster next time': users without a passkey are offered one after a password "
                + "sign-in.")
        .add()
        .property()
        .name("nudge_snooze_days")
        .label("Days 'Not now' lasts")
        .type(ProviderConfigProperty.INTEGER_TYPE)
        .defaultValue("14")
        .helpText("1 to 365.")
        .add()
        .property()
        .name("nudge_force_after_snoozes")
        .label("Required after this many 'Not now'")
        .type(ProviderConfigProperty.INTEGER_TYPE)
        .defaultValue("0")
        .helpText(
            "0: never required. Otherwise, after this many snoozes the user must create a passkey.")
        .add()
        .property()
        .name("nudge_clients")
        .label("Offer only in these apps (client ids)")
        .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
        .helpText("Empty: every app.")
        .add()
        .property()
        .name("notify_email")
        .label("E-mail users about passkey changes")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .defaultValue("false")
        .helpText(
            "Sends users a security e-mail when a passkey is added to or removed from their account "
                + "(needs the realm's e-mail settings and a user e-mail address).")
        .add()
        .property()
        .name("passkey_first_sign_up")
        .label("Passkey-first sign-up")
        .type(ProviderConfigProperty.BOOLEAN_TYPE)
        .defaultValue("false")
        .helpText(
            "New users sign up with their e-mail address and a passkey, no password: binds the 'passkeys "
                + "registration' flow while passkeys are enabled. Needs 'User registration' on and the realm's e-mail "
                + "settings; off restores the previous registration flow.")
        .add()
        .build();
  }

  /**
   * A saved form as an update. An empty text or list field clears the setting (Keycloak leaves
   * empty fields out when it saves a form); an empty switch or number keeps what the realm has (a
   * form saved before the field existed).
   *
   * @param single a field's one value, or null
   * @param multi a multivalued field's values, or null
   * @throws SettingsUpdate.Invalid for a number that is not one
   */
  public static SettingsUpdate read(
      Function<String, String> single, Function<String, List<String>> multi) {
    return new SettingsUpdate(
        bool(single.apply(ENABLED)),
        text(single.apply("rp_id")),
        text(single.apply("rp_name")),
        list(multi.apply("origins")),
        null,
        null,
        list(multi.apply("allowed_aaguids")),
        bool(single.apply("nudge_enabled")),
        number(single, "nudge_snooze_days"),
        number(single, "nudge_force_after_snoozes"),
        list(multi.apply("nudge_clients")),
        bool(single.apply("notify_email")),
        bool(single.apply("passkey_first_sign_up")),
        bool(single.apply("upgrade_enabled")),
        bool(single.apply("two_factor_keys_sign_in")),
        bool(single.apply("amr_claim")));
  }

  /**
   * A flat config map (a required action's) as an update; multivalued fields are joined with {@code
   * ##}.
   */
  public static SettingsUpdate read(Map<String, String> config) {
    Map<String, String> values = config == null ? Map.of() : config;
    return read(
        values::get,
        name -> {
          String joined = values.get(name);
          return joined == null ? List.of() : Arrays.stream(joined.split(DELIMITER)).toList();
        });
  }

  /** The settings in force, as the form shows them (each field's values). */
  public static Map<String, List<String>> valuesOf(RealmModel realm) {
    PasskeySettings settings = PasskeySettings.read(realm);
    NudgePolicy nudge = NudgePolicy.read(realm);
    Map<String, List<String>> values = new LinkedHashMap<>();
    values.put(ENABLED, one(settings.enabled()));
    values.put("rp_id", List.of(settings.rpId().orElse("")));
    values.put("rp_name", List.of(settings.rpName().orElse("")));
    values.put("origins", settings.origins());
    values.put(
        "allowed_aaguids",
        settings.allowedAaguids().stream().map(UUID::toString).sorted().toList());
    values.put("two_factor_keys_sign_in", one(PasskeySettings.twoFactorKeysSignIn(realm)));
    values.put("amr_claim", one(PasskeySettings.amrClaim(realm)));
    values.put("upgrade_enabled", one(PasskeySettings.upgradeEnabled(realm)));
    values.put("nudge_enabled", one(nudge.enabled()));
    values.put("nudge_snooze_days", List.of(Integer.toString(nudge.snoozeDays())));
    values.put("nudge_force_after_snoozes", List.of(Integer.toString(nudge.forceAfterSnoozes())));
    values.put("nudge_clients", nudge.clients());
    values.put("notify_email", one(settings.notifyEmail()));
    values.put("passkey_first_sign_up", one(SignUpPolicy.read(realm).passkeyFirst()));
    return values;
  }

  /** {@link #valuesOf} as a flat config map; empty fields are left out, as Keycloak saves them. */
  public static Map<String, String> flatValuesOf(RealmModel realm) {
    Map<String, String> flat = new LinkedHashMap<>();
    valuesOf(realm)
        .forEach(
            (name, values) -> {
              String joined = String.join(DELIMITER, values);
              if (!joined.isEmpty()) {
                flat.put(name, joined);
              }
            });
    return flat;
  }

  private static List<String> one(boolean value) {
    return List.of(Boolean.toString(value));
  }

  private static Boolean bool(String value) {
    return value == null || value.isBlank() ? null : Boolean.parseBoolean(value.trim());
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static List<String> list(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
  }

  private static Integer number(Function<String, String> single, String name) {
    String value = single.apply(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException notANumber) {
      throw new SettingsUpdate.Invalid("invalid_nudge", name + " must be a whole number");
    }
  }
}
