package dev.kcpasskeys.config;

import java.util.Optional;
import java.util.Set;
import org.keycloak.models.RealmModel;

/**
 * The Passkeys entry in Keycloak's account console. Keycloak's account console (keycloak.v3) reads
 * its menu from the account theme, so enabling switches a realm that uses Keycloak's default
 * account theme to this extension's {@code passkeys} theme: keycloak.v3 with one more entry under
 * "Account security". A realm with an account theme of its own keeps it (the README shows the
 * one-line change for it), and disabling puts back what the realm had, only if the theme is still
 * ours.
 */
final class AccountConsoleEntry {

  static final String THEME = "passkeys";
  static final String PREVIOUS_THEME = PasskeySettings.PREFIX + "previousAccountTheme";
  private static final Set<String> KEYCLOAK_DEFAULT = Set.of("", "keycloak.v3");

  private AccountConsoleEntry() {}

  static void add(RealmModel realm) {
    String current = Optional.ofNullable(realm.getAccountTheme()).orElse("");
    if (KEYCLOAK_DEFAULT.contains(current)) {
      realm.setAttribute(PREVIOUS_THEME, current);
      realm.setAccountTheme(THEME);
    }
  }

  static void remove(RealmModel realm) {
    String previous = realm.getAttribute(PREVIOUS_THEME);
    if (previous != null && THEME.equals(realm.getAccountTheme())) {
      realm.setAccountTheme(previous.isEmpty() ? null : previous);
    }
    realm.removeAttribute(PREVIOUS_THEME);
  }
}
