package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.Hints;
import java.util.List;
import org.keycloak.models.RealmModel;

/**
 * What kinds of passkeys a realm asks for, and how many a user may keep. Realm attributes, so every
 * node agrees.
 *
 * @param maxPasskeys the most passkeys one user may register (default 20; 1 to 100); Keycloak
 *     two-factor security keys do not count
 * @param hints WebAuthn hints sent in creation and request options, in order ({@link Hints}); empty
 *     by default
 * @param passkeyTypes which passkeys count in the realm: {@code any} (default) or {@code
 *     device_bound} ({@link PasskeyTypePolicy}, which also reads apps, groups and roles)
 * @param passkeyAfterPassword a user who has a passkey and signs in with the password is asked for
 *     the passkey as well (default false)
 */
public record AssurancePolicy(
    int maxPasskeys, List<String> hints, String passkeyTypes, boolean passkeyAfterPassword) {

  public static final int DEFAULT_MAX_PASSKEYS = 20;
  static final int MAX_PASSKEYS_CEILING = 100;
  static final String MAX_PASSKEYS = "passkeys.maxPasskeys";
  static final String HINTS = "passkeys.hints";
  static final String PASSKEY_AFTER_PASSWORD = "passkeys.passkeyAfterPassword";

  public AssurancePolicy {
    hints = List.copyOf(hints);
  }

  public static AssurancePolicy read(RealmModel realm) {
    List<String> hints = PasskeySettings.splitLines(realm.getAttribute(HINTS));
    return new AssurancePolicy(
        NudgePolicy.number(
            realm.getAttribute(MAX_PASSKEYS), DEFAULT_MAX_PASSKEYS, 1, MAX_PASSKEYS_CEILING),
        // A hint a later version dropped (or a hand-edited attribute) is left out, not sent.
        hints.stream().filter(Hints.VALUES::contains).distinct().toList(),
        PasskeyTypePolicy.realmSetting(realm),
        Boolean.parseBoolean(realm.getAttribute(PASSKEY_AFTER_PASSWORD)));
  }

  public void write(RealmModel realm) {
    realm.setAttribute(MAX_PASSKEYS, Integer.toString(maxPasskeys));
    if (hints.isEmpty()) {
      realm.removeAttribute(HINTS);
    } else {
      realm.setAttribute(HINTS, String.join("\n", hints));
    }
    PasskeyTypePolicy.writeRealmSetting(realm, passkeyTypes);
    realm.setAttribute(PASSKEY_AFTER_PASSWORD, Boolean.toString(passkeyAfterPassword));
  }
}
