package dev.kcpasskeys.notify;

import dev.kcpasskeys.PasskeyIds;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Nudge and automatic-upgrade outcomes, counted twice: on Keycloak's metrics endpoint (per node,
 * {@link PasskeyMetrics}) and as stored user events, from which the admin stats count them for the
 * whole cluster (our JVMs keep no counts). Registrations and sign-ins need nothing extra: their
 * {@code UPDATE_CREDENTIAL} and {@code LOGIN} events already carry {@code passkey_source} and
 * {@code passkey_path}.
 *
 * <p>The events are {@code CUSTOM_REQUIRED_ACTION} (saved by default, like every required action's
 * answer) with {@code custom_required_action=passkey-register} and the outcome in {@code
 * passkey_nudge} or {@code passkey_upgrade}. They go through a builder of their own, so the sign-in
 * flow's event (its type, error and details) stays as it was.
 */
public final class AdoptionEvents {

  public static final String NUDGE_DETAIL = "passkey_nudge";
  public static final String UPGRADE_DETAIL = "passkey_upgrade";

  private AdoptionEvents() {}

  /** outcome: shown, accepted, snoozed, declined, unsupported. */
  public static void nudge(
      KeycloakSession session,
      AuthenticationSessionModel authSession,
      UserModel user,
      String outcome) {
    PasskeyMetrics.nudge(authSession.getRealm().getName(), outcome);
    send(session, authSession, user, NUDGE_DETAIL, outcome);
  }

  /** outcome: tried, succeeded, fallback (see {@link PasskeyMetrics#upgrade}). */
  public static void upgrade(
      KeycloakSession session,
      AuthenticationSessionModel authSession,
      UserModel user,
      String outcome) {
    PasskeyMetrics.upgrade(authSession.getRealm().getName(), outcome);
    send(session, authSession, user, UPGRADE_DETAIL, outcome);
  }

  private static void send(
      KeycloakSession session,
      AuthenticationSessionModel authSession,
      UserModel user,
      String detail,
      String outcome) {
    new EventBuilder(authSession.getRealm(), session, session.getContext().getConnection())
        .event(EventType.CUSTOM_REQUIRED_ACTION)
        .client(authSession.getClient())
        .user(user)
        .detail("custom_required_action", PasskeyIds.REQUIRED_ACTION_ID)
        .detail(detail, outcome)
        .success(); // stored with the request's transaction
  }
}
