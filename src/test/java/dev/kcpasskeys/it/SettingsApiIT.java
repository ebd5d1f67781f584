package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET/PUT /admin/realms/{realm}/passkeys/v1/settings}: one call switches passkeys on and
 * off.
 */
@ExtendWith(KeycloakExtension.class)
class SettingsApiIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private String path() {
    return "/realms/" + realm.name() + "/passkeys/v1/settings";
  }

  @Test
  void disablingRestoresThePreviousBrowserFlowAndEnablingSwitchesBack() {
    AdminClient admin = realm.admin();
    JsonNode off = admin.ok(admin.put(path(), Map.of("enabled", false)));
    assertFalse(off.get("enabled").asBoolean());
    assertEquals("browser", off.get("browser_flow").asText());
    assertFalse(requiredActionEnabled(), "passkey-register is switched off with the feature");

    JsonNode on = admin.ok(admin.put(path(), Map.of("enabled", true)));
    assertTrue(on.get("enabled").asBoolean());
    assertEquals("passkeys browser", on.get("browser_flow").asText());
    assertTrue(requiredActionEnabled());
    assertEquals(
        "passkeys browser",
        admin.ok(admin.get("/realms/" + realm.name())).get("browserFlow").asText());
  }

  /**
   * The installed flow is the realm's browser flow (here Keycloak's own) with the passkey page in
   * place of its username and password form, and its second factors asked after a password sign-in
   * only.
   */
  @Test
  void
      theInstalledFlowIsTheRealmsBrowserFlowWithThePasskeyPageAndSecondFactorsAfterPasswordsOnly() {
    List<String> expected = new java.util.ArrayList<>();
    for (String step : authenticators("browser")) {
      if (step.equals("auth-username-password-form:REQUIRED")) {
        expected.add("passkey-login:REQUIRED");
      } else if (step.equals("conditional-user-configured:REQUIRED")
          && expected.contains("passkey-login:REQUIRED")) {
        expected.add("passkey-condition-password-sign-in:REQUIRED");
        expected.add(step);
      } else {
        expected.add(step);
      }
    }
    assertTrue(
        expected.contains("passkey-condition-password-sign-in:REQUIRED"), expected.toString());
    assertEquals(expected, authenticators("passkeys browser"));
    AdminClient admin = realm.admin();
    assertTrue(
        admin
            .ok(admin.get("/realms/" + realm.name() + "/client-scopes"))
            .findValuesAsText("name")
            .contains("passkeys"),
        "the API scope exists");
  }

  /**
   * The authenticators of a flow, depth-first, as provider:requirement (sub-flows themselves left
   * out).
   */
  private List<String> authenticators(String flowAlias) {
    AdminClient admin = realm.admin();
    List<String> steps = new java.util.ArrayList<>();
    for (JsonNode execution :
        admin.ok(
            admin.get(
                "/realms/"
                    + realm.name()
                    + "/authentication/flows/"
                    + flowAlias.replace(" ", "%20")
                    + "/executions"))) {
      if (!execution.path("authenticationFlow").asBoolean()) {
        steps.add(
            execution.path("providerId").asText("") + ":" + execution.path("requirement").asText());
      }
    }
    return steps;
  }

  @Test
  void savesAParentDomainRpIdAndExtraOrigins() {
    AdminClient admin = realm.admin();
    JsonNode saved =
        admin.ok(
            admin.put(
                path(),
                Map.of(
                    "rp_id",
                    "localhost",
                    "rp_name",
                    "Example",
                    "origins",
                    List.of(
                        "https://accounts.example.com",
                        "android:apk-key-hash:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"))));
    assertEquals("localhost", saved.get("rp_id").asText());
    assertEquals(2, saved.get("origins").size());
    assertEquals(saved, admin.ok(admin.get(path())));
    admin.ok(admin.put(path(), Map.of("rp_id", "", "rp_name", "", "origins", List.of())));
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rp_id | evil.example | invalid_rp_id",
        "rp_id | https://localhost | invalid_rp_id",
        "rp_id | 127.0.0.1 | invalid_rp_id",
        "rp_id | com | invalid_rp_id",
        "origins | http://accounts.example.com | invalid_origin",
        "origins | https://example.com/path | invalid_origin",
        "origins | HTTPS://EXAMPLE.COM | invalid_origin",
        "origins | android:apk-key-hash:short | invalid_origin",
        "allowed_aaguids | not-a-uuid | invalid_aaguid",
        "user_verification | preferred | invalid_user_verification",
        "attestation | indirect | invalid_attestation",
        "metadata_source | /etc/passwd | invalid_metadata"
      })
  void refusesBadValuesAtSaveTimeAndChangesNothing(String field, String value, String error) {
    AdminClient admin = realm.admin();
    JsonNode before = admin.ok(admin.get(path()));
    Object body =
        field.equals("origins") || field.equals("allowed_aaguids") ? List.of(value) : value;
    AdminClient.Response response = admin.put(path(), Map.of(field, body, "rp_name", "Changed"));
    assertEquals(400, response.status(), response.body());
    assertEquals(error, response.json().get("error").asText());
    assertFalse(response.json().get("error_description").asText().isBlank());
    assertEquals(before, admin.ok(admin.get(path())), "nothing changed");
  }

  @Test
  void theAdminConsoleTabSavesThroughTheSameChecks() {
    AdminClient admin = realm.admin();
    String components = "/realms/" + realm.name() + "/components";
    String realmId = admin.ok(admin.get("/realms/" + realm.name())).get("id").asText();
    Map<String, Object> bad =
        Map.of(
            "name",
            "Passkeys",
            "providerId",
            "Passkeys",
            "parentId",
            realmId,
            "providerType",
            "org.keycloak.services.ui.extend.UiTabProvider",
            "config",
            Map.of("enabled", List.of("true"), "rp_id", List.of("evil.example")));
    AdminClient.Response refused = admin.post(components, bad);
    assertEquals(400, refused.status(), refused.body());
    assertTrue(refused.body().contains("evil.example"), refused.body());

    Map<String, Object> good =
        Map.of(
            "name",
            "Passkeys",
            "providerId",
            "Passkeys",
            "parentId",
            realmId,
            "providerType",
            "org.keycloak.services.ui.extend.UiTabProvider",
            "config",
            Map.of("enabled", List.of("true"), "rp_name", List.of("From the tab")));
    assertEquals(201, admin.post(components, good).status());
    JsonNode settings = admin.ok(admin.get(path()));
    assertEquals("From the tab", settings.get("rp_name").asText());
    assertTrue(settings.get("enabled").asBoolean());

    // The tab shows the settings in force however they were changed: the API, the required action's
    // form (the other console form).
    admin.ok(admin.put(path(), Map.of("rp_name", "From the API")));
    assertEquals("From the API", tabValue(components, "rp_name"));
    String gear =
        "/realms/" + realm.name() + "/authentication/required-actions/passkey-register/config";
    com.fasterxml.jackson.databind.node.ObjectNode form =
        (com.fasterxml.jackson.databind.node.ObjectNode) admin.ok(admin.get(gear));
    ((com.fasterxml.jackson.databind.node.ObjectNode) form.get("config"))
        .put("rp_name", "From the gear");
    admin.ok(admin.put(gear, form));
    assertEquals("From the gear", admin.ok(admin.get(path())).get("rp_name").asText());
    assertEquals("From the gear", tabValue(components, "rp_name"));
    admin.ok(admin.put(path(), Map.of("rp_name", "")));
  }

  private String tabValue(String components, String field) {
    AdminClient admin = realm.admin();
    JsonNode tab =
        admin.ok(admin.get(components + "?type=org.keycloak.services.ui.extend.UiTabProvider"));
    return tab.get(0).path("config").path(field).path(0).asText();
  }

  @Test
  void refusesUnknownFieldsAndNonJson() {
    AdminClient admin = realm.admin();
    assertEquals(400, admin.put(path(), Map.of("enabeld", true)).status());
    assertEquals(400, admin.put(path(), "not json").status());
  }

  private boolean requiredActionEnabled() {
    JsonNode action = realm.adminGet("/authentication/required-actions/passkey-register");
    return action.get("enabled").asBoolean();
  }
}
