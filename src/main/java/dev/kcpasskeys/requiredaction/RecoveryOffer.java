package dev.kcpasskeys.requiredaction;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.NudgePolicy;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.credential.PasskeyStore;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * After account recovery (Keycloak's own "forgot password" flow: e-mail link, then a new password),
 * offer a passkey before the user goes back to the app, with the nudge's page and answers.
 *
 * <p>It hooks into Keycloak's required-action triggers instead of changing the reset-credentials
 * flow: Keycloak evaluates the triggers again after every completed required action, and the
 * authentication session's flow path says the user came through reset-credentials. The offer waits
 * until the new password is set, and is decided once per recovery.
 *
 * <p>Who is asked: users of a realm with passkeys and the nudge switched on (for this client), who
 * have no passkey, and who have not chosen "Don't ask again". A "Not now" from an earlier sign-in
 * does not hold it back; see {@link NudgePolicy#appliesAfterRecovery}.
 */
final class RecoveryOffer {

  private static final Logger LOG = Logger.getLogger(RecoveryOffer.class);
  private static final String UPDATE_PASSWORD = UserModel.RequiredAction.UPDATE_PASSWORD.name();

  /**
   * {@link PasskeyIds#RECOVERY_NOTE} values: recovered, offer not decided yet; offered; not
   * offered.
   */
  private static final String PENDING = "pending";

  private static final String OFFERED = "offered";
  private static final String NOT_OFFERED = "not-offered";

  private RecoveryOffer() {}

  static void evaluate(KeycloakSession session, RequiredActionContext context) {
    AuthenticationSessionModel auth = context.getAuthenticationSession();
    UserModel user = context.getUser();
    if (auth == null || user == null) {
      return;
    }
    // The flow path says "reset-credentials" only at the first evaluation, when that flow has just
    // ended; once required actions run it says "required-action". So remember it in a note.
    if (LoginActionsService.RESET_CREDENTIALS_PATH.equals(
            auth.getAuthNote(AuthenticationProcessor.CURRENT_FLOW_PATH))
        && auth.getAuthNote(PasskeyIds.RECOVERY_NOTE) == null) {
      auth.setAuthNote(PasskeyIds.RECOVERY_NOTE, PENDING);
    }
    if (!PENDING.equals(auth.getAuthNote(PasskeyIds.RECOVERY_NOTE))
        || auth.getRequiredActions().contains(UPDATE_PASSWORD)
        || user.getRequiredActionsStream().anyMatch(UPDATE_PASSWORD::equals)) {
      return; // not a recovery, already decided, or the new password is not set yet (asked again
      // after it is)
    }
    boolean offer = eligible(session, context.getRealm(), auth, user);
    auth.setAuthNote(PasskeyIds.RECOVERY_NOTE, offer ? OFFERED : NOT_OFFERED);
    if (offer) {
      LOG.debugf("Offering user %s a passkey after account recovery", user.getId());
      auth.setAuthNote(PasskeyIds.NUDGE_NOTE, "true");
      auth.addRequiredAction(PasskeyIds.REQUIRED_ACTION_ID);
    }
  }

  private static boolean eligible(
      KeycloakSession session, RealmModel realm, AuthenticationSessionModel auth, UserModel user) {
    // A registration the admin requires is shown anyway, and is not one "Not now" may skip.
    boolean required =
        user.getRequiredActionsStream().anyMatch(PasskeyIds.REQUIRED_ACTION_ID::equals)
            || auth.getRequiredActions().contains(PasskeyIds.REQUIRED_ACTION_ID);
    boolean hasPasskey =
        new PasskeyStore(session, realm)
            .list(user).stream().anyMatch(p -> p.type().equals(PasskeyIds.CREDENTIAL_TYPE));
    return !required
        && !hasPasskey
        && PasskeySettings.read(realm).enabled()
        && NudgePolicy.read(realm).appliesAfterRecovery(user, auth.getClient().getClientId());
  }

  static boolean recovery(RequiredActionContext context) {
    return OFFERED.equals(context.getAuthenticationSession().getAuthNote(PasskeyIds.RECOVERY_NOTE));
  }
}
