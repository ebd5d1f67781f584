package dev.kcpasskeys.config;

import dev.kcpasskeys.authenticator.PasskeySignUpFormAction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

/**
 * The "passkeys registration" flow: a copy of the realm's registration flow without Keycloak's
 * password step ({@code registration-password-action}, whose absence also hides the password
 * fields of register.ftl) and with {@link PasskeySignUpFormAction} right after the user is
 * created. Copying, rather than building Keycloak's default anew, keeps the admin's own steps
 * (reCAPTCHA, terms and conditions) as they were. Bound while passkey-first sign-up is on; the
 * previous registration flow is bound again when it is switched off, the way the browser flow is.
 */
public final class PasskeySignUpFlow {

  public static final String FLOW_ALIAS = "passkeys registration";
  static final String USER_CREATION = "registration-user-creation";
  static final String PASSWORD_STEP = "registration-password-action";
  private static final Logger LOG = Logger.getLogger(PasskeySignUpFlow.class);

  private PasskeySignUpFlow() {}

  /** Why the realm cannot switch passkey-first sign-up on now; empty when it can. */
  static Optional<String> problem(RealmModel realm) {
    if (!realm.isRegistrationAllowed()) {
      return Optional.of("passkey-first sign-up needs user registration: switch on 'User registration' in the "
          + "realm's login settings first");
    }
    Map<String, String> smtp = realm.getSmtpConfig();
    if (smtp == null || smtp.getOrDefault("host", "").isBlank()) {
      return Optional.of("passkey-first sign-up verifies the new user's e-mail address: set up the realm's e-mail "
          + "(SMTP) settings first");
    }
    if (realm.getFlowByAlias(FLOW_ALIAS) == null && userCreationParent(realm, source(realm)).isEmpty()) {
      return Optional.of("the realm's registration flow has no 'Registration User Creation' step to build the "
          + "passkey sign-up from");
    }
    return Optional.empty();
  }

  /**
   * Binds "passkeys registration" when passkeys and passkey-first sign-up are both on, otherwise
   * binds the previous registration flow again if ours is bound; returns the policy to store.
   */
  static SignUpPolicy apply(RealmModel realm, boolean passkeysEnabled, SignUpPolicy policy) {
    AuthenticationFlowModel current = realm.getRegistrationFlow();
    boolean oursBound = current != null && FLOW_ALIAS.equals(current.getAlias());
    if (passkeysEnabled && policy.passkeyFirst()) {
      if (oursBound) {
        return policy;
      }
      Optional<AuthenticationFlowModel> flow = Optional.ofNullable(realm.getFlowByAlias(FLOW_ALIAS))
          .or(() -> create(realm));
      if (flow.isEmpty()) {
        // Only reachable through a realm import, which skips the API's checks: sign-up stays as it is.
        LOG.warnf("Realm %s: no 'Registration User Creation' step in its registration flow; passkey-first sign-up "
            + "not installed", realm.getName());
        return policy;
      }
      realm.setRegistrationFlow(flow.get());
      return policy.withPreviousRegistrationFlow(Optional.ofNullable(current).map(AuthenticationFlowModel::getAlias));
    }
    if (oursBound) {
      AuthenticationFlowModel previous = policy.previousRegistrationFlow().map(realm::getFlowByAlias)
          .orElseGet(() -> realm.getFlowByAlias("registration"));
      if (previous != null) {
        realm.setRegistrationFlow(previous);
      }
    }
    return policy.withPreviousRegistrationFlow(Optional.empty());
  }

  /** The flow to copy: the realm's registration flow, or Keycloak's built-in one. */
  private static AuthenticationFlowModel source(RealmModel realm) {
    return Optional.ofNullable(realm.getRegistrationFlow()).orElseGet(() -> realm.getFlowByAlias("registration"));
  }

  private static Optional<AuthenticationFlowModel> create(RealmModel realm) {
    AuthenticationFlowModel source = source(realm);
    if (userCreationParent(realm, source).isEmpty()) {
      return Optional.empty();
    }
    AuthenticationFlowModel top = copyOf(realm, source, FLOW_ALIAS,
        "Sign-up with e-mail and a passkey, no password (Keycloak Passkeys); a copy of '" + source.getAlias() + "'",
        true);
    copyExecutions(realm, source, top);
    return Optional.of(top);
  }

  private static void copyExecutions(RealmModel realm, AuthenticationFlowModel from, AuthenticationFlowModel to) {
    List<AuthenticationExecutionModel> executions = realm.getAuthenticationExecutionsStream(from.getId()).toList();
    for (AuthenticationExecutionModel source : executions) {
      if (PASSWORD_STEP.equals(source.getAuthenticator())) {
        continue;
      }
      AuthenticationExecutionModel copy = new AuthenticationExecutionModel();
      copy.setParentFlow(to.getId());
      copy.setAuthenticator(source.getAuthenticator());
      copy.setRequirement(source.getRequirement());
      copy.setPriority(source.getPriority());
      copy.setAuthenticatorFlow(source.isAuthenticatorFlow());
      if (source.isAuthenticatorFlow()) {
        AuthenticationFlowModel sub = realm.getAuthenticationFlowById(source.getFlowId());
        AuthenticationFlowModel subCopy = copyOf(realm, sub, FLOW_ALIAS + " - " + sub.getAlias(), sub.getDescription(), false);
        copyExecutions(realm, sub, subCopy);
        copy.setFlowId(subCopy.getId());
      }
      Optional.ofNullable(source.getAuthenticatorConfig()).map(realm::getAuthenticatorConfigById)
          .ifPresent(config -> copy.setAuthenticatorConfig(copyConfig(realm, config).getId()));
      realm.addAuthenticatorExecution(copy);
      if (USER_CREATION.equals(source.getAuthenticator())) {
        // Right after the account exists: the sign-up step needs the new user.
        AuthenticationExecutionModel signUp = new AuthenticationExecutionModel();
        signUp.setParentFlow(to.getId());
        signUp.setAuthenticator(PasskeySignUpFormAction.PROVIDER_ID);
        signUp.setRequirement(Requirement.REQUIRED);
        signUp.setPriority(source.getPriority() + 1);
        signUp.setAuthenticatorFlow(false);
        realm.addAuthenticatorExecution(signUp);
      }
    }
  }

  private static AuthenticationFlowModel copyOf(RealmModel realm, AuthenticationFlowModel source, String alias,
      String description, boolean topLevel) {
    AuthenticationFlowModel model = new AuthenticationFlowModel();
    model.setAlias(alias);
    model.setDescription(description);
    model.setProviderId(source.getProviderId());
    model.setTopLevel(topLevel);
    model.setBuiltIn(false);
    return realm.addAuthenticationFlow(model);
  }

  /** Each execution owns its configuration (deleting the flow deletes it), so the copy gets its own. */
  private static AuthenticatorConfigModel copyConfig(RealmModel realm, AuthenticatorConfigModel source) {
    AuthenticatorConfigModel copy = new AuthenticatorConfigModel();
    String base = FLOW_ALIAS + " - " + Optional.ofNullable(source.getAlias()).orElse("config");
    String alias = base;
    for (int n = 2; realm.getAuthenticatorConfigByAlias(alias) != null; n++) {
      alias = base + " " + n;
    }
    copy.setAlias(alias);
    copy.setConfig(new HashMap<>(Optional.ofNullable(source.getConfig()).orElse(Map.of())));
    return realm.addAuthenticatorConfig(copy);
  }

  /** The (form) flow holding Keycloak's user-creation step, searched depth-first. */
  private static Optional<AuthenticationFlowModel> userCreationParent(RealmModel realm, AuthenticationFlowModel flow) {
    if (flow == null) {
      return Optional.empty();
    }
    for (AuthenticationExecutionModel execution : realm.getAuthenticationExecutionsStream(flow.getId()).toList()) {
      if (USER_CREATION.equals(execution.getAuthenticator()) && !execution.isAuthenticatorFlow()) {
        return Optional.of(flow);
      }
      if (execution.isAuthenticatorFlow()) {
        Optional<AuthenticationFlowModel> found = userCreationParent(realm,
            realm.getAuthenticationFlowById(execution.getFlowId()));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
