package dev.kcpasskeys.authenticator;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.ceremony.PasskeyVerificationException;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.ceremony.RelyingPartySettings;
import dev.kcpasskeys.ceremony.VerifiedAssertion;
import dev.kcpasskeys.challenge.ChallengeStore;
import dev.kcpasskeys.challenge.ChallengeStore.Ceremony;
import dev.kcpasskeys.config.AssurancePolicy;
import dev.kcpasskeys.config.NudgePolicy;
import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.config.PasskeyTypePolicy;
import dev.kcpasskeys.config.UpgradePolicy;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.credential.StorageUnavailableException;
import dev.kcpasskeys.notify.AmrNotes;
import dev.kcpasskeys.notify.ErrorEvents;
import dev.kcpasskeys.notify.FailureAnswers;
import dev.kcpasskeys.notify.LogText;
import dev.kcpasskeys.notify.PasskeyMetrics;
import dev.kcpasskeys.signin.AssuranceRequest;
import dev.kcpasskeys.signin.SignInCredentials;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Passkey sign-in. Without a known user it shows one page: username with passkey autofill, a "Sign
 * in with a passkey" button, and the password as fallback (Keycloak's own username and password
 * checks, brute-force protection included). With a known user (step-up, second factor) it asks for
 * one of that user's passkeys only.
 */
public final class PasskeyAuthenticator extends AbstractUsernameFormAuthenticator {

  static final String TEMPLATE = "passkey-login.ftl";
  static final String FIELD_RESPONSE = "passkey_response";
  static final String FIELD_ERROR = "passkey_error";
  static final String FIELD_PATH = "passkey_path";
  static final String FIELD_REQUIRED_CANCEL = "passkey_required_cancel";

  /** How an earlier step identified the user: "" none, else {@link SignInPath#identifiedBy}. */
  static final String IDENTIFIED_BY_NOTE = "passkeys.identified-by";

  /**
   * Keycloak's levels of authentication reached (AcrStore, and what the cookie authenticator
   * copies).
   */
  private static final String LEVELS_NOTE = "loa-map";

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(PasskeyAuthenticator.class);

  private final KeycloakSession session;
  private final PasskeyCeremony ceremony;
  private AuthenticationFlowContext context;
  private Optional<String> unknownCredential = Optional.empty();

  PasskeyAuthenticator(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.ceremony = ceremony;
  }

  @Override
  public void authenticate(AuthenticationFlowContext context) {
    this.context = context;
    // Remember whether an earlier step identified the user, and how: a user that a failed
    // password attempt on this page left behind must not switch the page to step-up mode.
    UserModel known = context.getUser();
    context
        .getAuthenticationSession()
        .setAuthNote(
            IDENTIFIED_BY_NOTE,
            known == null ? "" : SignInPath.identifiedBy(signedInBefore(context, known)));
    context.challenge(createLoginForm(context.form()));
  }

  @Override
  public void action(AuthenticationFlowContext context) {
    this.context = context;
    MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
    if (form.containsKey(FIELD_REQUIRED_CANCEL)
        && AssuranceRequest.of(session, context).passkeyRequired()) {
      unmet("the user went back without signing in with a passkey");
    } else if (form.containsKey(FIELD_RESPONSE)) {
      signInWithPasskey(form.getFirst(FIELD_RESPONSE), form.getFirst(FIELD_PATH));
    } else if (form.containsKey(FIELD_ERROR)) {
      context.challenge(page(FailureAnswers.forClientCode(form.getFirst(FIELD_ERROR))));
    } else if (identifiedEarlier()) {
      context.challenge(page("passkeyChooseOne"));
    } else if (sentToOrganizationBroker(form)) {
      return;
    } else if (validateUserAndPassword(context, form)) {
      AmrNotes.add(context.getAuthenticationSession(), List.of("pwd"));
      if (askForPasskeyAfterPassword(context.getUser())) {
        return;
      }
      offerPasskeyIfDue(context.getUser(), form);
      // The credential type tells Keycloak's brute-force protector to clear the user's failures,
      // as its own username and password form does.
      context.success(PasswordCredentialModel.TYPE);
    }
  }

  /**
   * The password was right; where the realm asks it, a user who has a passkey signs in with it too
   * (a second factor, as after a password on a device without the passkey: the browser offers a
   * phone or a security key). The page turns into the step-up for this user's passkeys.
   */
  private boolean askForPasskeyAfterPassword(UserModel user) {
    boolean appAsks = AssuranceRequest.of(session, context).passkeyRequired();
    if (!appAsks && !AssurancePolicy.read(context.getRealm()).passkeyAfterPassword()) {
      return false;
    }
    boolean hasPasskey =
        new SignInCredentials(new PasskeyStore(session, context.getRealm()), context.getRealm())
            .of(user).stream().anyMatch(p -> p.type().equals(PasskeyIds.CREDENTIAL_TYPE));
    if (!hasPasskey) {
      if (appAsks) {
        // The app asked for a phishing-resistant sign-in; this account has no passkey to give one.
        unmet("the account has no passkey");
        return true;
      }
      return false;
    }
    context.getAuthenticationSession().setAuthNote(IDENTIFIED_BY_NOTE, SignInPath.AFTER_PASSWORD);
    context.challenge(page(null));
    return true;
  }

  /**
   * An organization's e-mail typed here goes to its identity provider, as Keycloak's Organization
   * step sends it.
   */
  private boolean sentToOrganizationBroker(MultivaluedMap<String, String> form) {
    Optional<Response> broker =
        OrganizationRouting.brokerFor(context, form.getFirst(AuthenticationManager.FORM_USERNAME));
    broker.ifPresent(context::forceChallenge);
    return broker.isPresent();
  }

  /**
   * After a password sign-in by a user without a passkey: a per-sign-in registration step (not
   * stored on the user) that first tries an automatic upgrade where the browser can, then the nudge
   * where the realm's policy says so.
   */
  private void offerPasskeyIfDue(UserModel user, MultivaluedMap<String, String> form) {
    boolean hasPasskey =
        new PasskeyStore(session, context.getRealm())
            .list(user).stream().anyMatch(p -> p.type().equals(PasskeyIds.CREDENTIAL_TYPE));
    AuthenticationSessionModel authSession = context.getAuthenticationSession();
    String clientId = authSession.getClient().getClientId();
    // A registration the admin requires is not a nudge: "Not now" must not be able to skip it.
    boolean required =
        user.getRequiredActionsStream().anyMatch(PasskeyIds.REQUIRED_ACTION_ID::equals);
    if (hasPasskey || required) {
      return;
    }
    // An app that asked for the registration page (kc_action) gets that page, not a silent attempt.
    boolean appAsks =
        PasskeyIds.REQUIRED_ACTION_ID.equals(authSession.getClientNote(Constants.KC_ACTION));
    boolean nudge =
        NudgePolicy.read(context.getRealm()).applies(user, clientId, System.currentTimeMillis());
    Optional<String> upgradeAs =
        appAsks
            ? Optional.empty()
            : UpgradePolicy.accountName(
                context.getRealm(),
                user,
                form.getFirst(AuthenticationManager.FORM_USERNAME),
                "true".equals(form.getFirst(PasskeyIds.UPGRADE_CAPABLE_FIELD)));
    upgradeAs.ifPresent(name -> authSession.setAuthNote(PasskeyIds.UPGRADE_NOTE, name));
    if (nudge) {
      authSession.setAuthNote(PasskeyIds.NUDGE_NOTE, "true");
    }
    if (nudge || upgradeAs.isPresent()) {
      authSession.addRequiredAction(PasskeyIds.REQUIRED_ACTION_ID);
    }
  }

  /**
   * After a sign-in with a passkey from another device (a phone over hybrid/QR, a security key),
   * offer one on this device, under the same nudge policy and answers as after a password.
   */
  private void offerPasskeyOnThisDevice(UserModel user) {
    String clientId = context.getAuthenticationSession().getClient().getClientId();
    if (NudgePolicy.read(context.getRealm()).applies(user, clientId, System.currentTimeMillis())) {
      context.getAuthenticationSession().setAuthNote(PasskeyIds.NUDGE_NOTE, "true");
      context.getAuthenticationSession().setAuthNote(PasskeyIds.CROSS_DEVICE_NOTE, "true");
      context.getAuthenticationSession().addRequiredAction(PasskeyIds.REQUIRED_ACTION_ID);
    }
  }

  /**
   * A passkey sign-in. When the database cannot be reached on the way (a user or credential read
   * that missed the cache), the user gets the sign-in page again with "try again in a moment" and a
   * 503, not Keycloak's error page; nothing was written, and the attempt's challenge is spent (#20
   * item 13).
   */
  private void signInWithPasskey(String responseJson, String path) {
    try {
      verifyAndSignIn(responseJson, path);
    } catch (RuntimeException failure) {
      if (!StorageUnavailableException.isDatabaseDown(failure)) {
        throw failure;
      }
      LOG.warnf(
          "A passkey sign-in in realm %s could not reach the database; the user was asked to try again: %s",
          context.getRealm().getName(), failure.toString());
      // The read failed in this request's transaction: it is rolled back, not committed on a dead
      // connection
      // (Keycloak would answer that with its error page). The event store may be down too.
      session.getTransactionManager().setRollbackOnly();
      ErrorEvents.sendOrLog(
          context.getEvent().detail(Details.REASON, "storage_unavailable"),
          "passkey_storage_unavailable");
      context.challenge(
          Response.fromResponse(page("passkeySignInUnavailable"))
              .status(Response.Status.SERVICE_UNAVAILABLE)
              .build());
    }
  }

  private void verifyAndSignIn(String responseJson, String path) {
    RealmModel realm = context.getRealm();
    PasskeyStore store = new PasskeyStore(session, realm);
    SignInCredentials usable = new SignInCredentials(store, realm);
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, realm);
    Optional<byte[]> challenge =
        new ChallengeStore(session, context.getAuthenticationSession())
            .consume(Ceremony.AUTHENTICATE, rp.timeout().toMillis());
    if (challenge.isEmpty()) {
      fail(Errors.EXPIRED_CODE, "passkeyExpired");
      return;
    }
    boolean userKnown = identifiedEarlier();
    if (userKnown && isDisabledByBruteForce(context, context.getUser())) {
      return; // Keycloak's lockout message, as its password form shows it, and nothing counted
    }
    Optional<byte[]> identified =
        userKnown ? Optional.of(PasskeyStore.userHandle(context.getUser())) : Optional.empty();
    VerifiedAssertion assertion;
    try {
      assertion =
          ceremony.finishAuthentication(rp, challenge.get(), identified, responseJson, usable);
    } catch (PasskeyVerificationException e) {
      rejected(e, responseJson, challenge.get(), store, usable);
      return;
    }
    UserModel user = store.userByHandle(assertion.passkey().userHandle()).orElse(null);
    Passkey passkey =
        user == null ? null : usable.find(user, assertion.passkey().credentialId()).orElse(null);
    if (user == null || passkey == null) {
      fail(Errors.INVALID_USER_CREDENTIALS, "passkeyNotRecognized");
      return;
    }
    context.getEvent().user(user).detail(Details.USERNAME, user.getUsername());
    if (!enabledUser(context, user)) {
      return; // Keycloak's own check: event, message and page for disabled and locked-out users
    }
    Optional<String> deviceBoundBy =
        PasskeyTypePolicy.deviceBoundRequiredBy(
            realm, context.getAuthenticationSession().getClient(), user);
    if (deviceBoundBy.isPresent() && assertion.backupEligible()) {
      // A synced passkey where only device-bound ones count: refused, nothing recorded; another
      // passkey of the user (a security key) still can.
      context.getEvent().detail(Details.REASON, "device-bound required by " + deviceBoundBy.get());
      fail(
          FailureAnswers.DEVICE_BOUND_REQUIRED.eventError(),
          FailureAnswers.DEVICE_BOUND_REQUIRED.messageKey());
      return;
    }
    AssuranceRequest assurance = AssuranceRequest.of(session, context);
    boolean hardwareProtected =
        AssuranceRequest.hardwareProtected(!assertion.backupEligible(), passkey, rp.attestation());
    if (!assurance.metBy(hardwareProtected)) {
      // phrh asked for, a synced passkey (or an unproven model) used: another may qualify.
      context
          .getEvent()
          .detail(Details.REASON, "acr phrh needs a device-bound passkey of a verified model");
      boolean another =
          usable.of(user).stream()
              .anyMatch(
                  p ->
                      AssuranceRequest.hardwareProtected(
                          !p.stored().backupEligible().orElse(true), p, rp.attestation()));
      if (another) {
        fail(UnmetRequirements.ERROR, "passkeyHardwareRequired");
      } else {
        unmet("no device-bound passkey for this account");
      }
      return;
    }
    store.recordSignIn(user, passkey, assertion);
    String signInPath =
        SignInPath.of(
            path,
            identified.isPresent()
                ? context.getAuthenticationSession().getAuthNote(IDENTIFIED_BY_NOTE)
                : null);
    context
        .getEvent()
        .detail(Details.CREDENTIAL_TYPE, passkey.type())
        .detail("credential_id", passkey.id())
        .detail("passkey_path", signInPath);
    PasskeyMetrics.signIn(realm.getName(), signInPath);
    context.setUser(user);
    String attachment = UnverifiedResponse.attachmentOf(responseJson);
    // The attachment is what the browser (or whoever sent the response) reported: safe for one log
    // line.
    LOG.debugf(
        "passkey sign-in in realm %s: path=%s attachment=%s",
        realm.getName(), signInPath, LogText.of(attachment));
    if ("cross-platform".equals(attachment) && identified.isEmpty()) {
      offerPasskeyOnThisDevice(user);
    }
    // WebAuthn L3 §4 (uvInitialized): while the record's uvInitialized is false, "including an
    // authentication
    // ceremony where it would be updated to true", the UV flag must not be relied upon as a factor.
    // A passkey
    // an automatic upgrade made without UV therefore signs in as one factor: no "mfa" in amr.
    boolean uvIsAFactor =
        assertion.userVerified() && !passkey.metadata().registeredWithoutUserVerification();
    AmrNotes.add(
        context.getAuthenticationSession(),
        AmrNotes.forPasskey(assertion.backupState(), uvIsAFactor));
    // Lets the passkeys page mark the passkey this browser's session signed in with ("used on this
    // device").
    context
        .getAuthenticationSession()
        .setUserSessionNote(PasskeyIds.SIGNED_IN_WITH_NOTE, passkey.id());
    // When this session last proved a passkey: adding or deleting passkeys needs a recent one.
    context
        .getAuthenticationSession()
        .setUserSessionNote(
            PasskeyIds.PASSKEY_AUTH_TIME_NOTE, Long.toString(System.currentTimeMillis() / 1000));
    // The level reached (phr or phrh), for this sign-in's acr claim.
    assurance.record(session, context, hardwareProtected);
    // As Keycloak's own passkey authenticators: the type is recorded for the flow's credential
    // conditions, and it is not one whose success clears brute-force failures.
    context.success(passkey.type());
  }

  /**
   * The app asked for more than this user can give here: back to the app with the standard error,
   * nothing signed in.
   */
  private void unmet(String why) {
    context.getEvent().detail(Details.REASON, why).error(UnmetRequirements.ERROR);
    context.forceChallenge(
        UnmetRequirements.redirect(session, context.getAuthenticationSession(), why));
  }

  /**
   * Unknown credential, unknown user and bad signature look the same to the client (checklist
   * §0.4).
   */
  private void rejected(
      PasskeyVerificationException e,
      String responseJson,
      byte[] challenge,
      PasskeyStore store,
      SignInCredentials usable) {
    context.getEvent().detail(Details.REASON, e.reason().name());
    if (e.reason() == Reason.COUNTER_REGRESSION) {
      // The signature was valid, so the handle is the real owner's: a possibly cloned passkey must
      // be traceable to its account in the events (checklist §0.6).
      UnverifiedResponse.userHandleOf(responseJson)
          .flatMap(store::userByHandle)
          .ifPresent(
              owner ->
                  context.getEvent().user(owner).detail(Details.USERNAME, owner.getUsername()));
      UnverifiedResponse.credentialIdOf(responseJson)
          .ifPresent(
              id ->
                  context
                      .getEvent()
                      .detail(
                          "webauthn_credential_id",
                          Base64.getUrlEncoder().withoutPadding().encodeToString(id)));
    }
    if ((e.reason() == Reason.UNKNOWN_CREDENTIAL || e.reason() == Reason.USER_HANDLE_MISSING)
        && UnverifiedResponse.answers(responseJson, challenge)) {
      byte[] handle = UnverifiedResponse.userHandleOf(responseJson).orElse(null);
      unknownCredential =
          UnverifiedResponse.credentialIdOf(responseJson)
              .filter(id -> usable.nobodyHas(handle, id))
              .map(id -> Base64.getUrlEncoder().withoutPadding().encodeToString(id));
    }
    if (identifiedEarlier()) {
      FailedAttempts.passkeyFailedFor(context, context.getUser());
    }
    FailureAnswers.Answer answer = FailureAnswers.forSignIn(e);
    fail(answer.eventError(), answer.messageKey());
  }

  /**
   * A passkey attempt that did not sign in. Never {@code failureChallenge}: Keycloak would count it
   * as a wrong password for whichever username was typed last on this page; {@link FailedAttempts}
   * decides.
   */
  private void fail(String eventError, String messageKey) {
    context.getEvent().error(eventError);
    context.challenge(page(messageKey));
  }

  private Response page(String errorKey) {
    LoginFormsProvider form = context.form();
    if (errorKey != null) {
      form.setError(errorKey);
    }
    return createLoginForm(form);
  }

  /**
   * Every render (first visit, errors from Keycloak's password checks, our errors) gets a fresh
   * challenge.
   */
  @Override
  protected Response createLoginForm(LoginFormsProvider form) {
    RealmModel realm = context.getRealm();
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, realm);
    byte[] challenge = PasskeyCeremony.newChallenge();
    new ChallengeStore(session, context.getAuthenticationSession())
        .put(Ceremony.AUTHENTICATE, challenge);
    UserModel user = identifiedEarlier() ? context.getUser() : null;
    List<Passkey> allow =
        user == null
            ? List.of()
            : new SignInCredentials(new PasskeyStore(session, realm), realm).of(user);
    String options =
        ceremony
            .requestOptions(rp, challenge, allow.stream().map(Passkey::stored).toList())
            .toJson();
    MultivaluedMap<String, String> posted = context.getHttpRequest().getDecodedFormParameters();
    form.setAttribute(
        "passkeyLogin",
        new LoginPageModel(
            PasskeyRequest.forPage(options),
            user != null,
            user != null ? user.getUsername() : typedUsername(posted),
            unknownCredential.orElse(""),
            rp.rpId(),
            "on".equals(posted.getFirst("rememberMe")),
            AssuranceRequest.of(session, context).passkeyRequired()));
    return form.createForm(TEMPLATE);
  }

  private String typedUsername(MultivaluedMap<String, String> posted) {
    String typed = posted.getFirst(AuthenticationManager.FORM_USERNAME);
    if (typed == null) {
      typed = context.getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
    }
    return typed == null ? "" : typed;
  }

  /**
   * An earlier step named the user: only that user's passkeys are asked (step-up, or username
   * first).
   */
  private boolean identifiedEarlier() {
    String identifiedBy = context.getAuthenticationSession().getAuthNote(IDENTIFIED_BY_NOTE);
    return context.getUser() != null && SignInPath.isIdentification(identifiedBy);
  }

  /**
   * Whether the known user was signed in before this step (step-up) rather than only named by a
   * username step: an earlier level of this flow or the SSO session left Keycloak's level map (what
   * its cookie authenticator copies from the session), or the browser's SSO session is this user's
   * (a forced re-authentication on a session without levels).
   */
  private static boolean signedInBefore(AuthenticationFlowContext context, UserModel user) {
    if (context.getAuthenticationSession().getAuthNote(LEVELS_NOTE) != null) {
      return true;
    }
    AuthenticationManager.AuthResult sso =
        AuthenticationManager.authenticateIdentityCookie(
            context.getSession(), context.getRealm(), true);
    return sso != null && sso.user() != null && sso.user().getId().equals(user.getId());
  }

  @Override
  public boolean requiresUser() {
    return false;
  }

  @Override
  public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
    return !new SignInCredentials(new PasskeyStore(session, realm), realm).of(user).isEmpty();
  }

  @Override
  public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    if (realm.getRequiredActionProviderByAlias(PasskeyIds.REQUIRED_ACTION_ID) != null) {
      user.addRequiredAction(PasskeyIds.REQUIRED_ACTION_ID);
    }
  }

  @Override
  public void close() {}
}
