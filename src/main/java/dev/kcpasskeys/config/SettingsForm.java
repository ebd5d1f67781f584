package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.AttestationPolicy;
import dev.kcpasskeys.ceremony.Hints;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

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
    return List.of(
        field(ENABLED, ProviderConfigProperty.BOOLEAN_TYPE, "false"),
        field("rp_id", ProviderConfigProperty.STRING_TYPE, null),
        field("rp_name", ProviderConfigProperty.STRING_TYPE, null),
        field("origins", ProviderConfigProperty.MULTIVALUED_STRING_TYPE, null),
        field("allowed_aaguids", ProviderConfigProperty.MULTIVALUED_STRING_TYPE, null),
        field("two_factor_keys_sign_in", ProviderConfigProperty.BOOLEAN_TYPE, "false"),
        field("amr_claim", ProviderConfigProperty.BOOLEAN_TYPE, "true"),
        field("upgrade_enabled", ProviderConfigProperty.BOOLEAN_TYPE, "true"),
        field("nudge_enabled", ProviderConfigProperty.BOOLEAN_TYPE, "false"),
        field("nudge_snooze_days", ProviderConfigProperty.INTEGER_TYPE, "14"),
        field("nudge_force_after_snoozes", ProviderConfigProperty.INTEGER_TYPE, "0"),
        field("nudge_clients", ProviderConfigProperty.MULTIVALUED_STRING_TYPE, null),
        field("notify_email", ProviderConfigProperty.BOOLEAN_TYPE, "false"),
        field("passkey_first_sign_up", ProviderConfigProperty.BOOLEAN_TYPE, "false"),
        field(
            "max_passkeys",
            ProviderConfigProperty.INTEGER_TYPE,
            Integer.toString(AssurancePolicy.DEFAULT_MAX_PASSKEYS)),
        hints(),
        passkeyTypes(),
        field("passkey_after_password", ProviderConfigProperty.BOOLEAN_TYPE, "false"),
        attestation(),
        field("metadata_source", ProviderConfigProperty.STRING_TYPE, null),
        field("metadata_root_certificate", ProviderConfigProperty.TEXT_TYPE, null));
  }

  /** none, direct or enterprise. */
  private static ProviderConfigProperty attestation() {
    ProviderConfigProperty property =
        field("attestation", ProviderConfigProperty.LIST_TYPE, AttestationPolicy.NONE_CONVEYANCE);
    property.setOptions(List.of("none", "direct", "enterprise"));
    return property;
  }

  /** Any passkey, or device-bound ones only. */
  private static ProviderConfigProperty passkeyTypes() {
    ProviderConfigProperty property =
        field("passkey_types", ProviderConfigProperty.LIST_TYPE, PasskeyTypePolicy.ANY);
    property.setOptions(List.of(PasskeyTypePolicy.ANY, PasskeyTypePolicy.DEVICE_BOUND));
    return property;
  }

  /**
   * The message key of a field's label ({@code passkeysSettingRpId} for {@code rp_id}); its help
   * text is the same key with {@code Help} appended. The admin console translates both from the
   * extension's message bundles, in the admin's language.
   */
  public static String labelKey(String field) {
    StringBuilder key = new StringBuilder("passkeysSetting");
    for (String word : field.split("_")) {
      key.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return key.toString();
  }

  /** A multi-select of the three WebAuthn hints, in the order the admin picks them. */
  private static ProviderConfigProperty hints() {
    ProviderConfigProperty property =
        field("hints", ProviderConfigProperty.MULTIVALUED_LIST_TYPE, null);
    property.setOptions(Hints.VALUES);
    return property;
  }

  private static ProviderConfigProperty field(String name, String type, String defaultValue) {
    ProviderConfigProperty property = new ProviderConfigProperty();
    property.setName(name);
    property.setLabel(labelKey(name));
    property.setHelpText(labelKey(name) + "Help");
    property.setType(type);
    property.setDefaultValue(defaultValue);
    return property;
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
    return SettingsUpdate.builder()
        .enabled(bool(single.apply(ENABLED)))
        .rpId(text(single.apply("rp_id")))
        .rpName(text(single.apply("rp_name")))
        .origins(list(multi.apply("origins")))
        .attestation(blankIsNull(single.apply("attestation")))
        .allowedAaguids(list(multi.apply("allowed_aaguids")))
        .nudgeEnabled(bool(single.apply("nudge_enabled")))
        .nudgeSnoozeDays(number(single, "nudge_snooze_days", "invalid_nudge"))
        .nudgeForceAfterSnoozes(number(single, "nudge_force_after_snoozes", "invalid_nudge"))
        .nudgeClients(list(multi.apply("nudge_clients")))
        .notifyEmail(bool(single.apply("notify_email")))
        .passkeyFirstSignUp(bool(single.apply("passkey_first_sign_up")))
        .upgradeEnabled(bool(single.apply("upgrade_enabled")))
        .twoFactorKeysSignIn(bool(single.apply("two_factor_keys_sign_in")))
        .amrClaim(bool(single.apply("amr_claim")))
        .maxPasskeys(number(single, "max_passkeys", "invalid_max_passkeys"))
        .hints(list(multi.apply("hints")))
        .passkeyTypes(blankIsNull(single.apply("passkey_types")))
        .passkeyAfterPassword(bool(single.apply("passkey_after_password")))
        .metadataSource(text(single.apply("metadata_source")))
        .metadataRootCertificate(text(single.apply("metadata_root_certificate")))
        .build();
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
    AssurancePolicy assurance = AssurancePolicy.read(realm);
    values.put("max_passkeys", List.of(Integer.toString(assurance.maxPasskeys())));
    values.put("hints", assurance.hints());
    values.put("passkey_types", List.of(assurance.passkeyTypes()));
    values.put("passkey_after_password", one(assurance.passkeyAfterPassword()));
    AttestationSettings attestation = AttestationSettings.read(realm);
    values.put("attestation", List.of(attestation.conveyance()));
    values.put("metadata_source", List.of(attestation.metadataSource().orElse("")));
    values.put(
        "metadata_root_certificate", List.of(attestation.metadataRootCertificate().orElse("")));
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

  private static String blankIsNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static List<String> list(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
  }

  private static Integer number(Function<String, String> single, String name, String code) {
    String value = single.apply(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException notANumber) {
      throw new SettingsUpdate.Invalid(code, name + " must be a whole number");
    }
  }
}
