package dev.kcpasskeys.authenticator;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.SignUpPolicy;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormActionFactory;
import org.keycloak.authentication.FormContext;
import org.keycloak.authentication.ValidationContext;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The passkey step of passkey-first sign-up, placed after Keycloak's user creation in the "passkeys
 * registration" flow (which has no password step). The new account must verify its e-mail address
 * and create a passkey before the sign-up completes. Both are required actions stored on the user,
 * not in the browser session, so an abandoned sign-up still owes them the next time the person gets
 * in (see docs/adoption.md, "Passkey-first sign-up").
 */
public final class PasskeySignUpFormAction implements FormAction, FormActionFactory {

  public static final String PROVIDER_ID = PasskeyIds.SIGN_UP_FORM_ACTION_ID;

  @Override
  public void buildPage(FormContext context, LoginFormsProvider form) {
    // Nothing to add: without a password step, register.ftl shows no password fields.
  }

  @Override
  public void validate(ValidationContext context) {
    // Keycloak's user-creation step validates the form (user profile, taken e-mail or username).
    context.success();
  }

  @Override
  public void success(FormContext context) {
    UserModel user = context.getUser();
    if (!user.isEmailVerified()) {
      // Even when the realm does not verify e-mail in general: the address is this account's way
      // back in.
      user.addRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
    }
    user.addRequiredAction(PasskeyIds.REQUIRED_ACTION_ID);
    SignUpPolicy.markPending(user);
  }

  @Override
  public boolean requiresUser() {
    return false;
  }

  @Override
  public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
    return true;
  }

  @Override
  public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

  @Override
  public String getId() {
    return PROVIDER_ID;
  }

  @Override
  public String getDisplayType() {
    return "Passkey sign-up (Keycloak Passkeys)";
  }

  @Override
  public String getHelpText() {
    return "Place after 'Registration User Creation' in a registration flow without a password step: the new "
        + "user verifies the e-mail address and creates a passkey before the sign-up completes.";
  }

  @Override
  public String getReferenceCategory() {
    return null;
  }

  @Override
  public boolean isConfigurable() {
    return false;
  }

  @Override
  public Requirement[] getRequirementChoices() {
    return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
  }

  @Override
  public boolean isUserSetupAllowed() {
    return false;
  }

  @Override
  public List<ProviderConfigProperty> getConfigProperties() {
    return List.of();
  }

  @Override
  public FormAction create(KeycloakSession session) {
    return this;
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {}

  @Override
  public void close() {}
}
