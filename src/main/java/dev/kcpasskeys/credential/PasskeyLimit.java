package dev.kcpasskeys.credential;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.AssurancePolicy;
import java.util.OptionalInt;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The realm's limit on passkeys per user ({@link AssurancePolicy#maxPasskeys()}). Keycloak
 * two-factor security keys do not count: they are not passkeys and are managed elsewhere. Checked
 * when a registration starts (so nobody runs a ceremony in vain) and again when it is saved.
 */
public final class PasskeyLimit {

  private PasskeyLimit() {}

  /** The limit, when {@code user} has reached it; empty while one more passkey is allowed. */
  public static OptionalInt reached(PasskeyStore store, RealmModel realm, UserModel user) {
    int limit = AssurancePolicy.read(realm).maxPasskeys();
    long passkeys =
        store.list(user).stream().filter(p -> PasskeyIds.CREDENTIAL_TYPE.equals(p.type())).count();
    return passkeys >= limit ? OptionalInt.of(limit) : OptionalInt.empty();
  }
}
