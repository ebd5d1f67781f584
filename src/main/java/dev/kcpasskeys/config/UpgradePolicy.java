package dev.kcpasskeys.config;

import java.util.Optional;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * When to try an automatic passkey upgrade (WebAuthn conditional create) right after a password
 * sign-in. The password manager decides whether a passkey is made, without a dialog; we only decide
 * whether the attempt is worth a page, and which account name to offer it.
 */
public final class UpgradePolicy {

  private UpgradePolicy() {}

  /**
   * The account name for the attempt, or empty when there is to be none: the realm switched
   * upgrades off, the sign-in page saw no {@code conditionalCreate} capability, or the user
   * answered the nudge with "Don't ask again" (no passkey behind their back either).
   *
   * <p>Password managers upgrade only the saved password whose username equals the options' {@code
   * user.name} (Chrome compares them exactly), so the name is what the user typed when that is
   * their username or e-mail, and the username otherwise.
   */
  public static Optional<String> accountName(
      RealmModel realm, UserModel user, String typedIdentifier, boolean browserCanUpgrade) {
    if (!browserCanUpgrade
        || !PasskeySettings.upgradeEnabled(realm)
        || NudgePolicy.saidNever(user)) {
      return Optional.empty();
    }
    String typed = typedIdentifier == null ? "" : typedIdentifier.trim();
    boolean identifies =
        typed.equalsIgnoreCase(user.getUsername())
            || (user.getEmail() != null && typed.equalsIgnoreCase(user.getEmail()));
    return Optional.of(identifies ? typed : user.getUsername());
  }
}
