package dev.kcpasskeys.config;

import dev.kcpasskeys.PasskeyIds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.services.ui.extend.UiTabProvider;

/**
 * Passkeys from the admin console of a default Keycloak, where the admin works with what Keycloak
 * shows for every extension: required actions and flows.
 *
 * <ul>
 *   <li>The settings are the configuration of the "Register a passkey" required action (its gear);
 *       the form always shows the settings in force ({@link #mirror}).
 *   <li>Registering that required action prepares the "passkeys browser" flow without binding it,
 *       so the admin can open it and see what enabling installs before anything changes.
 *   <li>Binding that flow with Keycloak's own "Bind flow" action enables passkeys (the required
 *       action, the scopes, the account console entry); binding a flow without the passkey page
 *       disables them.
 * </ul>
 *
 * Every path goes through {@link SettingsUpdate}, as the REST API does.
 */
public final class ConsoleSettings {

  /** The id of the Realm settings tab's component (rest/admin's {@code PasskeysAdminTab}). */
  public static final String TAB_ID = "Passkeys";

  private ConsoleSettings() {}

  /**
   * Applies the form the admin saved (Keycloak validated it with the same checks before saving).
   */
  public static void applySavedForm(RealmModel realm, String requestHost) {
    RequiredActionProviderModel action = action(realm);
    if (action == null) {
      return;
    }
    SettingsForm.read(action.getConfig()).applyTo(realm, requestHost);
  }

  /**
   * Writes the settings in force into both console forms, the required action's configuration and
   * the Realm settings tab's component (with {@code declarative-ui}), so each shows them however
   * they were changed. A form is written only where it differs: saving the tab applies the settings
   * and comes back here, and the second round finds nothing to write.
   */
  public static void mirror(RealmModel realm) {
    RequiredActionProviderModel action = action(realm);
    if (action != null) {
      Map<String, String> flat = SettingsForm.flatValuesOf(realm);
      if (!flat.equals(action.getConfig())) {
        action.setConfig(new HashMap<>(flat));
        realm.updateRequiredActionProvider(action);
      }
    }
    Map<String, List<String>> values = SettingsForm.valuesOf(realm);
    realm
        .getComponentsStream(realm.getId(), UiTabProvider.class.getName())
        .filter(c -> TAB_ID.equals(c.getProviderId()))
        .filter(
            c ->
                values.entrySet().stream()
                    .anyMatch(e -> !same(e.getValue(), c.getConfig().get(e.getKey()))))
        .toList()
        .forEach(
            c -> {
              values.forEach((name, value) -> c.getConfig().put(name, value));
              realm.updateComponent(c);
            });
  }

  /**
   * Two values of a field, blanks left out (an emptied field may be stored as "" or not at all).
   */
  private static boolean same(List<String> shown, List<String> stored) {
    return nonBlank(shown).equals(nonBlank(stored));
  }

  private static List<String> nonBlank(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().filter(v -> v != null && !v.isBlank()).toList();
  }

  /**
   * After the required action was registered: the flow enabling would install, written but not
   * bound, when the realm has none and its browser flow can take the passkey page. Its source is
   * remembered as the flow to restore, for an admin who binds it with Keycloak's "Bind flow".
   */
  public static void prepareReadyFlow(RealmModel realm) {
    PasskeySettings settings = PasskeySettings.read(realm);
    if (action(realm) == null
        || settings.enabled()
        || realm.getFlowByAlias(PasskeyFlowInstaller.FLOW_ALIAS) != null) {
      return;
    }
    BrowserFlowPlan plan = BrowserFlowPlan.of(realm);
    if (plan.ready()) {
      plan.install(realm);
      settings.withEnabled(false, Optional.of(plan.source())).write(realm);
    }
    mirror(realm);
  }

  /**
   * After a realm update: the bound browser flow decides. "passkeys browser" bound while passkeys
   * are off enables them; a flow without the passkey page bound while they are on disables them
   * (the admin's flow stays bound). A hand-built flow with the passkey page changes nothing.
   */
  public static void followBoundFlow(RealmModel realm, String requestHost) {
    AuthenticationFlowModel bound = realm.getBrowserFlow();
    boolean enabled = PasskeySettings.read(realm).enabled();
    if (bound == null) {
      return;
    }
    if (!enabled && PasskeyFlowInstaller.FLOW_ALIAS.equals(bound.getAlias())) {
      switchTo(true).applyTo(realm, requestHost);
    } else if (enabled
        && !PasskeyFlowInstaller.FLOW_ALIAS.equals(bound.getAlias())
        && !hasPasskeyPage(realm, bound)) {
      switchTo(false).applyTo(realm, requestHost);
    }
  }

  private static SettingsUpdate switchTo(boolean enabled) {
    return SettingsUpdate.builder().enabled(enabled).build();
  }

  private static boolean hasPasskeyPage(RealmModel realm, AuthenticationFlowModel flow) {
    try {
      return FlowNode.read(realm, flow, null, null)
              .count(n -> PasskeyIds.AUTHENTICATOR_ID.equals(n.authenticator()))
          > 0;
    } catch (IllegalStateException broken) {
      return false;
    }
  }

  private static RequiredActionProviderModel action(RealmModel realm) {
    return realm.getRequiredActionProviderByAlias(PasskeyIds.REQUIRED_ACTION_ID);
  }
}
