package dev.kcpasskeys.config;

import java.util.Optional;
import org.keycloak.Config;
import org.keycloak.models.RealmModel;

/**
 * Whether the origin passkeys are bound to is fixed by configuration. The extension takes the
 * origin and the default RP ID from Keycloak's frontend URL for the realm, never from a header of
 * its own choosing; but with no {@code --hostname} and no frontend URL for the realm, Keycloak
 * itself derives that URL from each request's {@code Host} header ({@code
 * --hostname-strict=false}), and then so do the passkeys.
 */
public final class HostnameCheck {

  private HostnameCheck() {}

  /** The warning for admins, or empty when the hostname is fixed. */
  public static Optional<String> notFixed(RealmModel realm) {
    String hostname = Config.scope("hostname", "v2").get("hostname");
    String frontendUrl = realm == null ? null : realm.getAttribute("frontendUrl");
    if (isSet(hostname) || isSet(frontendUrl)) {
      return Optional.empty();
    }
    return Optional.of(
        "Keycloak's hostname is not fixed (no --hostname, and no frontend URL for this realm): the "
            + "passkey origin and RP ID follow each request's Host header. Set --hostname (and --proxy-headers behind "
            + "a reverse proxy) in production.");
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
