package dev.kcpasskeys.authenticator;

import dev.kcpasskeys.notify.AmrNotes;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * True when this sign-in did not use a passkey. The passkeys browser flow puts the realm's OTP step
 * behind it: a password sign-in keeps its second factor, a passkey (already two factors with user
 * verification) is not asked for a one-time code on top.
 */
final class PasswordSignInCondition implements ConditionalAuthenticator {

  static final PasswordSignInCondition INSTANCE = new PasswordSignInCondition();

  @Override
  public boolean matchCondition(AuthenticationFlowContext context) {
    String amr = context.getAuthenticationSession().getUserSessionNotes().get(AmrNotes.NOTE);
    return !AmrNotes.parse(amr).contains("user");
  }

  @Override
  public void action(AuthenticationFlowContext context) {}

  @Override
  public boolean requiresUser() {
    return false;
  }

  @Override
  public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

  @Override
  public void close() {}
}
