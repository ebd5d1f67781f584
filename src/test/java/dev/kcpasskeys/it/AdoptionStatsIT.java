package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.HttpLogin.Result;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The adoption counters of the admin stats ({@code GET /admin/realms/{realm}/passkeys/v1/stats},
 * {@code last_30_days}) move with what users do: nudge answers, automatic upgrades, registrations
 * by source and passkey sign-ins by path. They come from stored events, so they are the cluster's.
 */
@ExtendWith(KeycloakExtension.class)
class AdoptionStatsIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private final Oidc oidc = new Oidc(realm);

  @Test
  void nudgeAnswersUpgradesRegistrationsAndSignInsAreCounted() {
    realm.settings(
        Map.of("nudge_enabled", true, "upgrade_enabled", true, "nudge_force_after_snoozes", 0));
    for (String name : new String[] {"nia", "noe", "nat", "ugo"}) {
      realm.createUser(name, name + "-password");
    }
    JsonNode before = stats();

    HttpLogin nia = nudgePage("nia");
    Result snoozed = nia.post(nia.registerAction(), Map.of("nudge", "later"));
    HttpLogin noe = nudgePage("noe");
    Result declined = noe.post(noe.registerAction(), Map.of("nudge", "never"));
    HttpLogin nat = nudgePage("nat");
    SoftAuthenticator natsPhone = new SoftAuthenticator(realm.server().baseUrl()).counterStep(0);
    Result accepted = nat.register("Nat's phone", natsPhone.register(nat.last().options()));
    assertNotNull(snoozed.code(), snoozed.toString());
    assertNotNull(declined.code(), declined.toString());
    assertNotNull(accepted.code(), accepted.toString());

    HttpLogin ugo = new HttpLogin(realm.server().baseUrl());
    ugo.open(oidc.authorizationUrl());
    Result upgradePage =
        ugo.passwordSignIn("ugo", "ugo-password", Map.of("passkey_upgrade_capable", "true"));
    assertFalse(upgradePage.upgradeOptions().isEmpty(), upgradePage.toString());
    SoftAuthenticator passwordManager =
        new SoftAuthenticator(realm.server().baseUrl()).counterStep(0);
    Result upgraded =
        ugo.post(
            ugo.registerAction(),
            Map.of(
                "passkey_upgrade",
                "created",
                "passkey_response",
                passwordManager.registerWithoutDialog(upgradePage.upgradeOptions())));
    assertNotNull(upgraded.code(), upgraded.toString());

    signIn(natsPhone, "button");
    signIn(natsPhone, "button");
    signIn(passwordManager, "autofill");

    JsonNode after = stats();
    // The nudge pages shown before the answers: nia, noe and nat (ugo's upgrade made a passkey, so
    // no nudge).
    assertEquals(3, delta(before, after, "/nudge/shown"), after.toString());
    assertEquals(1, delta(before, after, "/nudge/snoozed"));
    assertEquals(1, delta(before, after, "/nudge/declined"));
    assertEquals(1, delta(before, after, "/nudge/accepted"));
    assertEquals(1, delta(before, after, "/upgrade/tried"));
    assertEquals(1, delta(before, after, "/upgrade/succeeded"));
    assertEquals(0, delta(before, after, "/upgrade/fallback"));
    assertEquals(
        1,
        delta(before, after, "/registrations_by_source/nudge"),
        realm.events("UPDATE_CREDENTIAL").toString());
    assertEquals(1, delta(before, after, "/registrations_by_source/upgrade"));
    assertEquals(0, delta(before, after, "/registrations_by_source/api"));
    assertEquals(2, delta(before, after, "/registrations"));
    assertEquals(2, delta(before, after, "/sign_ins_by_path/button"));
    assertEquals(1, delta(before, after, "/sign_ins_by_path/autofill"));
    assertEquals(0, delta(before, after, "/sign_ins_by_path/step-up"));
    assertEquals(3, delta(before, after, "/passkey_sign_ins"));
    assertFalse(after.at("/last_30_days/truncated").asBoolean());
  }

  @Test
  void everyCounterIsPresentSoTheShapeIsStable() {
    JsonNode stats = stats();
    for (String group :
        new String[] {"registrations_by_source", "sign_ins_by_path", "nudge", "upgrade"}) {
      assertTrue(stats.at("/last_30_days/" + group).isObject(), group + " in " + stats);
    }
    assertEquals(
        8, stats.at("/last_30_days/registrations_by_source").size(), "every source, 0 or more");
  }

  private HttpLogin nudgePage(String username) {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl());
    Result page = login.passwordSignIn(username, username + "-password");
    assertTrue(
        page.isRegistrationPage() && page.upgradeOptions().isEmpty(),
        "expected the nudge: " + page);
    return login;
  }

  private void signIn(SoftAuthenticator authenticator, String path) {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    Result page = login.open(oidc.authorizationUrl());
    Result signedIn = login.passkeySignIn(authenticator.authenticate(page.options()), path);
    assertNotNull(signedIn.code(), signedIn.toString());
  }

  private JsonNode stats() {
    return realm.adminGet("/passkeys/v1/stats");
  }

  private static long delta(JsonNode before, JsonNode after, String pointer) {
    JsonNode now = after.at("/last_30_days" + pointer);
    assertTrue(now.isNumber(), pointer + " missing in " + after);
    return now.asLong() - before.at("/last_30_days" + pointer).asLong();
  }
}
