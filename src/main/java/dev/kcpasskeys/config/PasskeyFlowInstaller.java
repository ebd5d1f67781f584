package dev.kcpasskeys.config;

import dev.kcpasskeys.authenticator.PasswordSignInConditionFactory;
import dev.kcpasskeys.support.PasskeyConstants;
import java.util.Optional;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * The one admin action: enabling makes a "passkeys browser" flow the realm's browser flow and
 * enables the passkey-register required action; disabling restores the previous browser flow.
 * Everything it writes is an ordinary Keycloak flow the admin can inspect and edit. Passkey-first
 * sign-up ({@link PasskeySignUpFlow}) follows: its registration flow is bound only while passkeys are on.
 */
public final class PasskeyFlowInstaller {

  public static final String FLOW_ALIAS = "passkeys browser";
  static final String FORMS_ALIAS = "passkeys browser forms";
  public static final String API_SCOPE = "passkeys";
  static final String OTP_ALIAS = "passkeys browser - password second factor";

  private PasskeyFlowInstaller() {}

  public static PasskeySettings enable(RealmModel realm, PasskeySettings settings) {
    AuthenticationFlowModel flow = Optional.ofNullable(realm.getFlowByAlias(FLOW_ALIAS)).orElseGet(() -> createFlow(realm));
    AuthenticationFlowModel current = realm.getBrowserFlow();
    Optional<String> previous = settings.previousBrowserFlow();
    if (current != null && !current.getId().equals(flow.getId())) {
      previous = Optional.of(current.getAlias());
    }
    realm.setBrowserFlow(flow);
    enableRequiredAction(realm, true);
    ensureApiScope(realm);
    PasskeysPageClient.ensure(realm);
    PasskeySettings enabled = settings.withEnabled(true, previous);
    enabled.write(realm);
    PasskeySignUpFlow.apply(realm, true, SignUpPolicy.read(realm)).write(realm);
    return enabled;
  }

  public static PasskeySettings disable(RealmModel realm, PasskeySettings settings) {
    AuthenticationFlowModel previous = settings.previousBrowserFlow().map(realm::getFlowByAlias)
        .orElseGet(() -> realm.getFlowByAlias("browser"));
    AuthenticationFlowModel current = realm.getBrowserFlow();
    if (previous != null && current != null && FLOW_ALIAS.equals(current.getAlias())) {
      realm.setBrowserFlow(previous);
    }
    enableRequiredAction(realm, false);
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
    scope.setDescription("Lets an app list, add, rename and delete the user's passkeys (Keycloak Passkeys API)");
    scope.setIncludeInTokenScope(true);
    scope.setDisplayOnConsentScreen(true);
    scope.setConsentScreenText("Manage your passkeys");
  }

  private static AuthenticationFlowModel createFlow(RealmModel realm) {
    AuthenticationFlowModel top = flow(realm, FLOW_ALIAS, "Passkey sign-in with password fallback (Keycloak Passkeys)", true);
    execution(realm, top, "auth-cookie", Requirement.ALTERNATIVE, 10);
    execution(realm, top, "identity-provider-redirector", Requirement.ALTERNATIVE, 20);
    AuthenticationFlowModel forms = flow(realm, FORMS_ALIAS, "Passkey or username and password", false);
    subflow(realm, top, forms, Requirement.ALTERNATIVE, 30);
    execution(realm, forms, PasskeyConstants.AUTHENTICATOR_ID, Requirement.REQUIRED, 10);
    AuthenticationFlowModel otp = flow(realm, OTP_ALIAS, "A second factor (OTP or security key) after a password sign-in, for users who set one up", false);
    subflow(realm, forms, otp, Requirement.CONDITIONAL, 20);
    execution(realm, otp, PasswordSignInConditionFactory.PROVIDER_ID, Requirement.REQUIRED, 10);
    execution(realm, otp, "conditional-user-configured", Requirement.REQUIRED, 20);
    // The same second factors as Keycloak's default browser flow: whichever the user set up.
    execution(realm, otp, "auth-otp-form", Requirement.ALTERNATIVE, 30);
    execution(realm, otp, "webauthn-authenticator", Requirement.ALTERNATIVE, 40);
    return top;
  }

  private static AuthenticationFlowModel flow(RealmModel realm, String alias, String description, boolean topLevel) {
    AuthenticationFlowModel model = new AuthenticationFlowModel();
    model.setAlias(alias);
    model.setDescription(description);
    model.setProviderId("basic-flow");
    model.setTopLevel(topLevel);
    model.setBuiltIn(false);
    return realm.addAuthenticationFlow(model);
  }

  private static void execution(RealmModel realm, AuthenticationFlowModel parent, String authenticator,
      Requirement requirement, int priority) {
    AuthenticationExecutionModel model = new AuthenticationExecutionModel();
    model.setParentFlow(parent.getId());
    model.setAuthenticator(authenticator);
    model.setRequirement(requirement);
    model.setPriority(priority);
    model.setAuthenticatorFlow(false);
    realm.addAuthenticatorExecution(model);
  }

  private static void subflow(RealmModel realm, AuthenticationFlowModel parent, AuthenticationFlowModel child,
      Requirement requirement, int priority) {
    AuthenticationExecutionModel model = new AuthenticationExecutionModel();
    model.setParentFlow(parent.getId());
    model.setFlowId(child.getId());
    model.setRequirement(requirement);
    model.setPriority(priority);
    model.setAuthenticatorFlow(true);
    realm.addAuthenticatorExecution(model);
  }

  private static void enableRequiredAction(RealmModel realm, boolean enabled) {
    RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(PasskeyConstants.REQUIRED_ACTION_ID);
    if (action == null) {
      if (!enabled) {
        return;
      }
      action = new RequiredActionProviderModel();
      action.setAlias(PasskeyConstants.REQUIRED_ACTION_ID);
      action.setProviderId(PasskeyConstants.REQUIRED_ACTION_ID);
      action.setName("Register a passkey");
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
