package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.AttestationPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * What an admin of a realm with passkeys should fix in Keycloak's configuration; the settings API
 * lists it.
 */
public final class SettingsWarnings {

  /**
   * The option that makes the extension's user attributes read-only for users (Keycloak's own
   * mechanism).
   */
  public static final String READ_ONLY_OPTION =
      "--spi-user-profile--declarative-user-profile--read-only-attributes=passkeys.*";

  private SettingsWarnings() {}

  public static List<String> of(KeycloakSession session, RealmModel realm) {
    List<String> warnings = new ArrayList<>();
    HostnameCheck.notFixed(realm).ifPresent(warnings::add);
    for (String ignored : PasskeySettings.ignoredOrigins(realm)) {
      warnings.add(
          "The realm attribute passkeys.origins holds '"
              + ignored
              + "', which is not an origin: it is ignored. Save the origins again through the settings.");
    }
    if (!PasskeySettings.read(realm).allowedAaguids().isEmpty()
        && AttestationPolicy.NONE_CONVEYANCE.equals(AttestationSettings.read(realm).conveyance())) {
      warnings.add(
          "Allowed AAGUIDs are checked against the model each authenticator reports about itself,"
              + " which any authenticator can write. Set attestation to direct so that only models"
              + " an attestation proved are allowed.");
    }
    if (usersMayEditUnmanagedAttributes(session) && !passkeyAttributesReadOnly()) {
      warnings.add(
          "Users may edit unmanaged attributes in this realm (user profile: unmanaged attributes "
              + "'Enabled'), which include the extension's passkeys.* records. Start Keycloak with "
              + READ_ONLY_OPTION
              + " so that only Keycloak and admins can change them.");
    }
    return warnings;
  }

  private static boolean usersMayEditUnmanagedAttributes(KeycloakSession session) {
    UserProfileProvider profile = session.getProvider(UserProfileProvider.class);
    UPConfig config = profile == null ? null : profile.getConfiguration();
    return config != null
        && config.getUnmanagedAttributePolicy() == UPConfig.UnmanagedAttributePolicy.ENABLED;
  }

  private static boolean passkeyAttributesReadOnly() {
    String[] readOnly =
        Config.scope("userProfile", "declarative-user-profile").getArray("read-only-attributes");
    return readOnly != null
        && Arrays.stream(readOnly)
            .map(String::trim)
            .anyMatch(
                pattern ->
                    pattern.equals("passkeys.*")
                        || pattern.equals("passkeys*")
                        || pattern.equals("*"));
  }
}
