package dev.kcpasskeys.requiredaction;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.ceremony.RegistrationMediation;
import dev.kcpasskeys.ceremony.RelyingPartySettings;
import dev.kcpasskeys.ceremony.UserIdentity;
import dev.kcpasskeys.ceremony.VerifiedRegistration;
import dev.kcpasskeys.challenge.ChallengeStore;
import dev.kcpasskeys.challenge.ChallengeStore.Ceremony;
import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.credential.PasskeyRegistrar;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.notify.AdoptionEvents;
import dev.kcpasskeys.notify.FailureAnswers;
import java.util.List;
import java.util.Optional;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The automatic passkey upgrade of the registration step: a conditional create (no dialog) that the
 * page tries first, right after a password sign-in. Its challenge is issued apart from the page's
 * ordinary one ({@link Ceremony#UPGRADE}), and only a response to that challenge is verified in the
 * conditional mode that accepts UP=0. One attempt per sign-in: the first answer ends it.
 */
final class PasskeyUpgrade {

  /** Source of upgraded passkeys, in their metadata, events and metrics. */
  static final String SOURCE = "upgrade";

  private final KeycloakSession session;
  private final PasskeyCeremony ceremony;

  PasskeyUpgrade(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.ceremony = ceremony;
  }

  /** The password sign-in left an upgrade attempt to make (see {@code UpgradePolicy}). */
  static boolean pending(RequiredActionContext context) {
    return context.getAuthenticationSession().getAuthNote(PasskeyIds.UPGRADE_NOTE) != null;
  }

  /**
   * Creation options for the conditional request, with a fresh challenge of its own; counts the
   * attempt.
   */
  String options(RequiredActionContext context, List<Passkey> existing) {
    AuthenticationSessionModel authSession = context.getAuthenticationSession();
    UserModel user = context.getUser();
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, context.getRealm());
    byte[] challenge = PasskeyCeremony.newChallenge();
    new ChallengeStore(session, authSession).put(Ceremony.UPGRADE, challenge);
    UserIdentity identity = PasskeyStore.identity(user);
    String accountName = authSession.getAuthNote(PasskeyIds.UPGRADE_NOTE);
    UserIdentity asSaved =
        new UserIdentity(identity.userHandle(), accountName, identity.displayName());
    AdoptionEvents.upgrade(session, context.getAuthenticationSession(), context.getUser(), "tried");
    return ceremony
        .creationOptions(
            rp,
            asSaved,
            challenge,
            existing.stream().map(Passkey::stored).toList(),
            RegistrationMediation.CONDITIONAL)
        .toJson();
  }

  /**
   * Verifies and stores the passkey the password manager made. False when there is none to store
   * (no or a used challenge, a refused response): the attempt is over either way and the caller
   * falls back.
   */
  boolean register(RequiredActionContext context, String responseJson) {
    UserModel user = context.getUser();
    PasskeyStore store = new PasskeyStore(session, context.getRealm());
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, context.getRealm());
    Optional<byte[]> challenge =
        new ChallengeStore(session, context.getAuthenticationSession())
            .consume(Ceremony.UPGRADE, rp.timeout().toMillis());
    end(context);
    if (challenge.isEmpty() || responseJson == null) {
      return refused(context, challenge.isEmpty() ? "expired_code" : "passkey_client_error", null);
    }
    // Named like a kept suggestion: the provider's name ("Google Password Manager"), else browser
    // and OS.
    PasskeyRegistrar.Outcome outcome =
        new PasskeyRegistrar(store, ceremony)
            .register(
                user,
                context.getAuthenticationSession().getClient(),
                rp,
                challenge.get(),
                responseJson,
                RegistrationMediation.CONDITIONAL,
                (verified, existing) ->
                    PasskeyRegistrar.defaultName(
                        verified, PasskeyRequest.userAgent(session), existing),
                SOURCE);
    if (outcome instanceof PasskeyRegistrar.Refused refused) {
      return refused(context, FailureAnswers.REGISTRATION_REJECTED, refused.reason().name());
    }
    if (outcome instanceof PasskeyRegistrar.PolicyRefused policy) {
      return refused(context, policy.answer().eventError(), policy.description());
    }
    if (outcome instanceof PasskeyRegistrar.StorageUnavailable) {
      return refused(context, "passkey_storage_unavailable", "STORAGE_UNAVAILABLE");
    }
    PasskeyRegistrar.Saved saved = (PasskeyRegistrar.Saved) outcome;
    VerifiedRegistration verified = saved.verified();
    // Sent by Keycloak when the action succeeds (the caller's context.success()), not here: see
    // RegisterPasskeyAction.
    saved
        .describe(context.getEvent(), SOURCE)
        .detail("user_verified", Boolean.toString(verified.passkey().uvInitialized()));
    AdoptionEvents.upgrade(
        session, context.getAuthenticationSession(), context.getUser(), "succeeded");
    return true;
  }

  /**
   * The page says its attempt made no passkey (declined, unsupported, aborted, or the user chose
   * otherwise).
   */
  void fellBack(RequiredActionContext context) {
    end(context);
    AdoptionEvents.upgrade(
        session, context.getAuthenticationSession(), context.getUser(), "fallback");
  }

  private boolean refused(RequiredActionContext context, String error, String reason) {
    // A copy: the sign-in may go on (context.success()), and Keycloak then sends the context's
    // event.
    var event =
        context
            .getEvent()
            .clone()
            .event(EventType.UPDATE_CREDENTIAL)
            .detail(Details.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE)
            .detail("passkey_source", SOURCE);
    if (reason != null) {
      event.detail(Details.REASON, reason);
    }
    event.error(error);
    AdoptionEvents.upgrade(
        session, context.getAuthenticationSession(), context.getUser(), "fallback");
    return false;
  }

  private void end(RequiredActionContext context) {
    context.getAuthenticationSession().removeAuthNote(PasskeyIds.UPGRADE_NOTE);
    new ChallengeStore(session, context.getAuthenticationSession()).discard(Ceremony.UPGRADE);
  }
}
