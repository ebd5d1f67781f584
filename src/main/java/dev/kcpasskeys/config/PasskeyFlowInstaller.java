package dev.kcpasskeys.config;

import dev.kcpasskeys.PasskeyIds;
import java.util.Optional;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * The one admin action: enabling makes a "passkeys browser" flow (the realm's browser flow with the
 * passkey page in place of its username and password form, see {@link BrowserFlowPlan}) the realm's
 * browser flow and enables the passkey-register required action; disabling restores the previous
 * one. Everything it writes is an ordinary Keycloak flow the admin can inspect and edit.
 * Passkey-first sign-up ({@link PasskeySignUpFlow}) follows: its registration flow is bound only
 * while passkeys are on.
 */
public final class PasskeyFlowInstaller {

  public static final String FLOW_ALIAS = "passkeys browser";
  public static final String API_SCOPE = "passkeys";
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(PasskeyFlowInstaller.class);

  private PasskeyFlowInstaller() {}

  /**
   * @throws SettingsUpdate.Invalid {@code browser_flow_not_supported} when the realm's browser flow
   *     cannot take the passkey page without losing a step ({@link BrowserFlowPlan}); nothing is
   *     changed then
   */
  public static PasskeySettings enable(RealmModel realm, PasskeySettings settings) {
    BrowserFlowPlan plan = BrowserFlowPlan.of(realm);
    if (!plan.ready()) {
      throw new SettingsUpdate.Invalid(
          "browser_flow_not_supported", "passkeys were not enabled: " + plan.problem().get());
    }
    if (!settings.enabled()) {
      // Once, when switched on: enable runs again on every settings change while passkeys are on.
      HostnameCheck.notFixed(realm)
          .ifPresent(
              warning -> LOG.warnf("Passkeys enabled in realm %s. %s", realm.getName(), warning));
    }
    AuthenticationFlowModel current = realm.getBrowserFlow();
    AuthenticationFlowModel flow = plan.install(realm);
    Optional<String> previous = settings.previousBrowserFlow();
    if (current != null && !current.getId().equals(flow.getId())) {
      previous = Optional.of(current.getAlias());
    }
    realm.setBrowserFlow(flow);
    enableRequiredAction(realm, true);
    ensureApiScope(realm);
    AmrClientScope.apply(realm, PasskeySettings.amrClaim(realm));
    AcrLevels.install(realm);
    AccountConsoleEntry.add(realm);
    PasskeysPageClient.ensure(realm);
    PasskeySettings enabled = settings.withEnabled(true, previous);
    enabled.write(realm);
    PasskeySignUpFlow.apply(realm, true, SignUpPolicy.read(realm)).write(realm);
    return enabled;
  }

  public static PasskeySettings disable(RealmModel realm, PasskeySettings settings) {
    AuthenticationFlowModel previous =
        settings
            .previousBrowserFlow()
            .map(realm::getFlowByAlias)
            .orElseGet(() -> realm.getFlowByAlias("browser"));
    AuthenticationFlowModel current = realm.getBrowserFlow();
    if (previous != null && current != null && FLOW_ALIAS.equals(current.getAlias())) {
      realm.setBrowserFlow(previous);
    }
    enableRequiredAction(realm, false);
    AmrClientScope.apply(realm, false);
    AcrLevels.uninstall(realm);
    AccountConsoleEntry.remove(realm);
    PasskeySettings disabled = settings.withEnabled(false, Optional.empty());
    disabled.write(realm);
    PasskeySignUpFlow.apply(realm, false, SignUpPolicy.read(realm)).write(realm);
    return disabled;
  }

  /**
   * The optional client scope apps request to use the passkeys API. It is assigned to no client:
   * the admin grants it to the apps allowed to manage users' passkeys.
   */
  private static void ensureApiScope(RealmModel realm) {
    if (realm.getClientScopesStream().anyMatch(s -> API_SCOPE.equals(s.getName()))) {
      return;
    }
    ClientScopeModel scope = realm.addClientScope(API_SCOPE);
    scope.setProtocol("openid-connect");
    scope.setDescription(
        "Lets an app list, add, rename and delete the user's passkeys (Keycloak Passkeys API)");
    scope.setIncludeInTokenScope(true);
    scope.setDisplayOnConsentScreen(true);
    scope.setConsentScreenText("Manage your passkeys");
  }

  private static void enableRequiredAction(RealmModel realm, boolean enabled) {
    RequiredActionProviderModel action =
        realm.getRequiredActionProviderByAlias(PasskeyIds.REQUIRED_ACTION_ID);
    if (action == null) {
      if (!enabled) {
        return;
      }
      action = new RequiredActionProviderModel();
      action.setAlias(PasskeyIds.REQUIRED_ACTION_ID);
      action.setProviderId(PasskeyIds.REQUIRED_ACTION_ID);
      action.setName("Register a passkey (Keycloak Passkeys)");
      action.setEnabled(true);
      action.setDefaultAction(false);
      action.setPriority(100);
      realm.addRequiredActionProvider(action);
      return;
    }
    action.setEnabled(enabled);
    realm.updateRequiredActionProvider(action);
  }
}
