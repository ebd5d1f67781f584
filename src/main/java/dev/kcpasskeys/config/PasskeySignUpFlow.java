package dev.kcpasskeys.config;

import dev.kcpasskeys.PasskeyIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

/**
 * The "passkeys registration" flow: a copy of the realm's registration flow without Keycloak's
 * password step ({@code registration-password-action}, whose absence also hides the password fields
 * of register.ftl) and with the {@code passkey-sign-up} form action right after the user is
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
      return Optional.of(
          "passkey-first sign-up needs user registration: switch on 'User registration' in the "
              + "realm's login settings first");
    }
    Map<String, String> smtp = realm.getSmtpConfig();
    if (smtp == null || smtp.getOrDefault("host", "").isBlank()) {
      return Optional.of(
          "passkey-first sign-up verifies the new user's e-mail address: set up the realm's e-mail "
              + "(SMTP) settings first");
    }
    if (realm.getFlowByAlias(FLOW_ALIAS) == null
        && userCreationParent(realm, source(realm)).isEmpty()) {
      return Optional.of(
          "the realm's registration flow has no 'Registration User Creation' step to build the "
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
      Optional<AuthenticationFlowModel> flow =
          Optional.ofNullable(realm.getFlowByAlias(FLOW_ALIAS)).or(() -> create(realm));
      if (flow.isEmpty()) {
        // Only reachable through a realm import, which skips the API's checks: sign-up stays as it
        // is.
        LOG.warnf(
            "Realm %s: no 'Registration User Creation' step in its registration flow; passkey-first sign-up "
                + "not installed",
            realm.getName());
        return policy;
      }
      realm.setRegistrationFlow(flow.get());
      return policy.withPreviousRegistrationFlow(
          Optional.ofNullable(current).map(AuthenticationFlowModel::getAlias));
    }
    if (oursBound) {
      AuthenticationFlowModel previous =
          policy
              .previousRegistrationFlow()
              .map(realm::getFlowByAlias)
              .orElseGet(() -> realm.getFlowByAlias("registration"));
      if (previous != null) {
        realm.setRegistrationFlow(previous);
      }
    }
    return policy.withPreviousRegistrationFlow(Optional.empty());
  }

  /** The flow to copy: the realm's registration flow, or Keycloak's built-in one. */
  private static AuthenticationFlowModel source(RealmModel realm) {
    return Optional.ofNullable(realm.getRegistrationFlow())
        .orElseGet(() -> realm.getFlowByAlias("registration"));
  }

  private static Optional<AuthenticationFlowModel> create(RealmModel realm) {
    AuthenticationFlowModel source = source(realm);
    if (userCreationParent(realm, source).isEmpty()) {
      return Optional.empty();
    }
    FlowNode signUp = withPasskeyInsteadOfPassword(FlowNode.read(realm, source, null, null));
    return Optional.of(
        signUp.write(
            realm,
            FLOW_ALIAS,
            "Sign-up with e-mail and a passkey, no password (Keycloak Passkeys); a copy of '"
                + source.getAlias()
                + "'"));
  }

  /**
   * Without the password step, and with the passkey step right after the account exists (it needs
   * the new user).
   */
  private static FlowNode withPasskeyInsteadOfPassword(FlowNode flow) {
    List<FlowNode> children = new ArrayList<>();
    for (FlowNode child : flow.children()) {
      if (child.isFlow()) {
        children.add(withPasskeyInsteadOfPassword(child));
      } else if (!PASSWORD_STEP.equals(child.authenticator())) {
        children.add(child);
        if (USER_CREATION.equals(child.authenticator())) {
          children.add(
              FlowNode.added(
                  PasskeyIds.SIGN_UP_FORM_ACTION_ID,
                  Requirement.REQUIRED,
                  "added: the new user creates a passkey"));
        }
      }
    }
    return flow.withChildren(children);
  }

  /** The (form) flow holding Keycloak's user-creation step, searched depth-first. */
  private static Optional<AuthenticationFlowModel> userCreationParent(
      RealmModel realm, AuthenticationFlowModel flow) {
    if (flow == null) {
      return Optional.empty();
    }
    for (AuthenticationExecutionModel execution :
        realm.getAuthenticationExecutionsStream(flow.getId()).toList()) {
      if (USER_CREATION.equals(execution.getAuthenticator()) && !execution.isAuthenticatorFlow()) {
        return Optional.of(flow);
      }
      if (execution.isAuthenticatorFlow()) {
        Optional<AuthenticationFlowModel> found =
            userCreationParent(realm, realm.getAuthenticationFlowById(execution.getFlowId()));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
