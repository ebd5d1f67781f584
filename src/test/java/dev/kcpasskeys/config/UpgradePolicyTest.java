package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

class UpgradePolicyTest {

  final RealmModel realm = RealmAttributes.realm(Map.of());
  final UserModel ada = user(Map.of());

  @Test
  void offersTheNameTheUserTypedWhenItIsTheirUsernameOrEmail() {
    assertEquals(Optional.of("ada"), UpgradePolicy.accountName(realm, ada, " ada ", true));
    assertEquals(
        Optional.of("Ada@Example.test"),
        UpgradePolicy.accountName(realm, ada, "Ada@Example.test", true),
        "as typed: password managers compare the saved username exactly");
  }

  @Test
  void offersTheUsernameOtherwise() {
    assertEquals(Optional.of("ada"), UpgradePolicy.accountName(realm, ada, "someone-else", true));
    assertEquals(Optional.of("ada"), UpgradePolicy.accountName(realm, ada, null, true));
  }

  @Test
  void noAttemptWhereTheBrowserCannotOrTheRealmSaysNo() {
    assertEquals(Optional.empty(), UpgradePolicy.accountName(realm, ada, "ada", false));
    RealmModel off = RealmAttributes.realm(Map.of("passkeys.upgrade.enabled", "false"));
    assertEquals(Optional.empty(), UpgradePolicy.accountName(off, ada, "ada", true));
  }

  @Test
  void noAttemptForUsersWhoSaidDontAskAgain() {
    UserModel declined = user(Map.of(NudgePolicy.USER_NEVER, "true"));
    assertEquals(Optional.empty(), UpgradePolicy.accountName(realm, declined, "ada", true));
  }

  private static UserModel user(Map<String, String> attributes) {
    return (UserModel)
        Proxy.newProxyInstance(
            UserModel.class.getClassLoader(),
            new Class<?>[] {UserModel.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getUsername" -> "ada";
                  case "getEmail" -> "ada@example.test";
                  case "getFirstAttribute" -> attributes.get((String) args[0]);
                  case "toString" -> "User[ada]";
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
