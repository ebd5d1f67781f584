package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.models.UserModel;

/** Who is offered a passkey: after a password sign-in, and after account recovery. */
class NudgePolicyTest {

  private static final long NOW = 1_000_000_000L;
  private final NudgePolicy on = new NudgePolicy(true, 14, 0, List.of());

  @Test
  void aSnoozeHoldsBackTheSignInOfferButNotTheOneAfterRecovery() {
    UserModel user = user(Map.of());
    on.snooze(user, NOW);
    assertFalse(on.applies(user, "app", NOW + 1));
    assertTrue(on.appliesAfterRecovery(user, "app"));
  }

  @Test
  void dontAskAgainHoldsBackBoth() {
    UserModel user = user(Map.of("passkeys.nudge.never", "true"));
    assertFalse(on.applies(user, "app", NOW));
    assertFalse(on.appliesAfterRecovery(user, "app"));
  }

  @Test
  void theRealmSwitchAndTheClientListDecideBoth() {
    UserModel user = user(Map.of());
    assertFalse(new NudgePolicy(false, 14, 0, List.of()).appliesAfterRecovery(user, "app"));
    NudgePolicy onlyShop = new NudgePolicy(true, 14, 0, List.of("shop"));
    assertFalse(onlyShop.appliesAfterRecovery(user, "app"));
    assertTrue(onlyShop.appliesAfterRecovery(user, "shop"));
  }

  /** A UserModel that only stores single-valued attributes. */
  private static UserModel user(Map<String, String> initial) {
    Map<String, String> attributes = new HashMap<>(initial);
    return (UserModel)
        Proxy.newProxyInstance(
            UserModel.class.getClassLoader(),
            new Class<?>[] {UserModel.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getFirstAttribute" -> attributes.get((String) args[0]);
                  case "setSingleAttribute" -> attributes.put((String) args[0], (String) args[1]);
                  case "toString" -> "User" + attributes;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
