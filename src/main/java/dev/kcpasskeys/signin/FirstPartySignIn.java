package dev.kcpasskeys.signin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.ceremony.PasskeyVerificationException;
import dev.kcpasskeys.ceremony.RelyingPartySettings;
import dev.kcpasskeys.ceremony.VerifiedAssertion;
import dev.kcpasskeys.challenge.ChallengeStore;
import dev.kcpasskeys.challenge.ChallengeStore.Ceremony;
import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.config.PasskeyTypePolicy;
import dev.kcpasskeys.config.RelyingPartyPolicy;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.notify.AmrNotes;
import dev.kcpasskeys.notify.FailureAnswers;
import dev.kcpasskeys.notify.PasskeyMetrics;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.utils.OAuth2Code;
import org.keycloak.protocol.oidc.utils.OAuth2CodeParser;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.CommonClientSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * Passkey sign-in for first-party apps without the login page: OAuth 2.0 for First-Party
 * Applications (draft-ietf-oauth-first-party-apps), with a passkey as the challenge.
 *
 * <ol>
 *   <li>The app posts {@code client_id}, {@code scope} and an S256 PKCE {@code code_challenge}; the
 *       answer is {@code insufficient_authorization} with an {@code auth_session} and the passkey
 *       request options.
 *   <li>The app runs the platform's passkey dialog and posts {@code auth_session} with {@code
 *       passkey_response}; the answer is an {@code authorization_code}, redeemed at Keycloak's own
 *       token endpoint with the {@code code_verifier}.
 * </ol>
 *
 * The sign-in runs in a Keycloak authentication session and becomes a user session the way the
 * browser flow's does: the same checks of the realm's policy, the same notes ({@code amr}, {@code
 * acr}, the passkey used), the same LOGIN event; the token endpoint then issues what it issues for
 * any code of that client. What only the browser can do (a required action, consent, an admin's own
 * level) sends the app there: {@code redirect_to_web}.
 */
public final class FirstPartySignIn {

  /** The client attribute an admin sets to {@code true} for apps that may use this endpoint. */
  public static final String FIRST_PARTY_ATTRIBUTE = "passkeys.firstParty";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private static final String REQUESTED_LEVEL_NOTE = "requested-level-of-authentication";

  /** Marks the authentication sessions this endpoint started (never a browser tab's). */
  private static final String FIRST_PARTY_NOTE = "passkeys.firstParty";

  private final KeycloakSession session;
  private final RealmModel realm;
  private final PasskeyCeremony ceremony;

  public FirstPartySignIn(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.realm = session.getContext().getRealm();
    this.ceremony = ceremony;
  }

  /** Whether an admin marked this app as first-party. */
  public static boolean isFirstParty(ClientModel client) {
    return Boolean.parseBoolean(client.getAttribute(FIRST_PARTY_ATTRIBUTE));
  }

  /** Step 1: a passkey challenge for a new authentication session. */
  public ChallengeAnswer challenge(
      ClientModel client, MultivaluedMap<String, String> form, EventBuilder event)
      throws JsonProcessingException {
    String address = session.getContext().getConnection().getRemoteAddr();
    if (!FirstPartyRateLimit.allow(session, client.getClientId(), address)) {
      return ChallengeAnswer.error(
          429,
          "slow_down",
          "too many sign-ins started by this app from this address; wait a minute");
    }
    String scope = form.getFirst("scope");
    if (!TokenManager.isValidScope(session, scope, client)) {
      return ChallengeAnswer.error(400, "invalid_scope", "a requested scope is not this app's");
    }
    String codeChallenge = form.getFirst("code_challenge");
    if (!"S256".equals(form.getFirst("code_challenge_method"))
        || codeChallenge == null
        || !CODE_CHALLENGE.matcher(codeChallenge).matches()) {
      return ChallengeAnswer.error(
          400,
          "invalid_request",
          "PKCE is required: code_challenge (43 to 128 characters) with code_challenge_method S256");
    }
    Optional<String> browserNeeded = FirstPartyLimits.browserNeeded(realm, client);
    if (browserNeeded.isPresent()) {
      return ChallengeAnswer.redirectToWeb(
          browserNeeded.get() + ": use the authorization endpoint");
    }
    AssuranceRequest assurance = AssuranceRequest.forAcrValues(client, form.getFirst("acr_values"));
    if (assurance.beyondPasskeys()) {
      return ChallengeAnswer.redirectToWeb(
          "the requested acr needs steps of the realm's own sign-in flow");
    }
    FirstPartyClientPolicies policies = new FirstPartyClientPolicies(session, client, form);
    Optional<ChallengeAnswer> refusedBefore = policies.beforeRequest(event);
    if (refusedBefore.isPresent()) {
      return refusedBefore.get();
    }
    RootAuthenticationSessionModel root =
        new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
    AuthenticationSessionModel authSession = root.createAuthenticationSession(client);
    authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
    authSession.setAction(CommonClientSessionModel.Action.AUTHENTICATE.name());
    authSession.setClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM, "code");
    authSession.setClientNote(
        OIDCLoginProtocol.ISSUER,
        Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
    note(authSession, OIDCLoginProtocol.SCOPE_PARAM, scope);
    note(authSession, OIDCLoginProtocol.NONCE_PARAM, form.getFirst("nonce"));
    note(authSession, OIDCLoginProtocol.ACR_PARAM, form.getFirst("acr_values"));
    note(authSession, OIDCLoginProtocol.CODE_CHALLENGE_PARAM, codeChallenge);
    note(authSession, OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM, "S256");
    authSession.setClientNote(FIRST_PARTY_NOTE, "true");
    if (assurance.requested() >= 0) {
      authSession.setClientNote(REQUESTED_LEVEL_NOTE, Integer.toString(assurance.requested()));
    }
    Optional<ChallengeAnswer> refused = policies.onRequest(event, authSession);
    if (refused.isPresent()) {
      end(authSession);
      return refused.get();
    }
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, realm);
    byte[] challenge = PasskeyCeremony.newChallenge();
    new ChallengeStore(session, authSession).put(Ceremony.AUTHENTICATE, challenge);
    String options = ceremony.requestOptions(rp, challenge, List.of()).toJson();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", "insufficient_authorization");
    body.put("error_description", "sign in with a passkey: answer with passkey_response");
    body.put(
        "auth_session",
        new AuthenticationSessionManager(session).signAndEncodeToBase64AuthSessionId(root.getId())
            + "."
            + authSession.getTabId());
    body.put("passkey", Map.of("publicKey", JSON.readTree(options)));
    return new ChallengeAnswer(400, body);
  }

  /** Step 2: the passkey's response, for the session of step 1; an authorization code. */
  public ChallengeAnswer complete(
      ClientModel client, String authSessionHandle, String responseJson, EventBuilder event) {
    AuthenticationSessionModel authSession = authSession(client, authSessionHandle);
    if (authSession == null
        || !"true".equals(authSession.getClientNote(FIRST_PARTY_NOTE))
        || !"S256"
            .equals(authSession.getClientNote(OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM))) {
      return ChallengeAnswer.error(
          400, "invalid_session", "unknown or expired auth_session: start again");
    }
    event.event(EventType.LOGIN).client(client).detail(Details.AUTH_METHOD, "openid-connect");
    event.detail(Details.AUTH_TYPE, "code").detail("passkey_path", "first-party");
    RelyingPartySettings realmRp = PasskeyRequest.relyingParty(session, realm);
    // Only the origins of this app (and Keycloak's own): another app's or site's passkey response
    // signs nobody into this one.
    RelyingPartySettings rp =
        realmRp.withOrigins(
            FirstPartyLimits.origins(
                session,
                client,
                realmRp.origins(),
                RelyingPartyPolicy.originOf(session.getContext().getUri().getBaseUri())));
    Optional<byte[]> challenge =
        new ChallengeStore(session, authSession)
            .consume(Ceremony.AUTHENTICATE, rp.timeout().toMillis());
    if (challenge.isEmpty()) {
      event.error(Errors.EXPIRED_CODE);
      return ChallengeAnswer.error(
          400, "invalid_session", "this auth_session was used or has expired: start again");
    }
    PasskeyStore store = new PasskeyStore(session, realm);
    SignInCredentials usable = new SignInCredentials(store, realm);
    VerifiedAssertion assertion;
    try {
      assertion =
          ceremony.finishAuthentication(
              rp, challenge.get(), Optional.empty(), responseJson, usable);
    } catch (PasskeyVerificationException e) {
      // A discoverable attempt counts for no one (FailedAttempts): its user handle is the sender's.
      event
          .detail(Details.REASON, e.reason().name())
          .error(FailureAnswers.forSignIn(e).eventError());
      end(authSession);
      return ChallengeAnswer.accessDenied("the passkey was not accepted");
    }
    UserModel user = store.userByHandle(assertion.passkey().userHandle()).orElse(null);
    Passkey passkey =
        user == null ? null : usable.find(user, assertion.passkey().credentialId()).orElse(null);
    if (user == null || passkey == null) {
      event.error(Errors.INVALID_USER_CREDENTIALS);
      return ChallengeAnswer.accessDenied("the passkey was not accepted");
    }
    event.user(user).detail(Details.USERNAME, user.getUsername());
    AssuranceRequest assurance =
        AssuranceRequest.forAcrValues(
            client, authSession.getClientNote(OIDCLoginProtocol.ACR_PARAM));
    boolean hardwareProtected = hardwareProtected(passkey, assertion, rp);
    Optional<ChallengeAnswer> refused =
        refusal(client, user, assertion, hardwareProtected, assurance, event);
    if (refused.isPresent()) {
      end(authSession);
      return refused.get();
    }
    store.recordSignIn(user, passkey, assertion);
    authSession.setAuthenticatedUser(user);
    AuthenticatorUtil.addAuthCredential(authSession, passkey.type());
    AmrNotes.add(
        authSession,
        AmrNotes.forPasskey(
            assertion.backupState(),
            assertion.userVerified() && !passkey.metadata().registeredWithoutUserVerification()));
    authSession.setUserSessionNote(PasskeyIds.SIGNED_IN_WITH_NOTE, passkey.id());
    authSession.setUserSessionNote(
        PasskeyIds.PASSKEY_AUTH_TIME_NOTE, Long.toString(System.currentTimeMillis() / 1000));
    assurance.record(session, authSession, hardwareProtected);
    AuthenticationManager.setClientScopesInSession(session, authSession);
    String needed =
        AuthenticationManager.nextRequiredAction(
            session, authSession, session.getContext().getHttpRequest(), event);
    if (needed != null) {
      event.detail(Details.REASON, "needs " + needed).error(Errors.NOT_ALLOWED);
      end(authSession);
      return ChallengeAnswer.redirectToWeb(
          "this sign-in needs the browser (" + needed + "): use the authorization endpoint");
    }
    return ChallengeAnswer.success(code(authSession, passkey, event));
  }

  /** What the realm's policy says against this sign-in; empty when nothing does. */
  private Optional<ChallengeAnswer> refusal(
      ClientModel client,
      UserModel user,
      VerifiedAssertion assertion,
      boolean hardwareProtected,
      AssuranceRequest assurance,
      EventBuilder event) {
    if (!user.isEnabled()) {
      event.error(Errors.USER_DISABLED);
      return Optional.of(ChallengeAnswer.accessDenied("this account is disabled"));
    }
    String lockedOut =
        AuthenticatorUtils.getDisabledByBruteForceEventError(
            session.getProvider(BruteForceProtector.class), session, realm, user);
    if (lockedOut != null) {
      event.error(lockedOut);
      return Optional.of(ChallengeAnswer.accessDenied("this account is locked for now"));
    }
    Optional<String> deviceBoundBy = PasskeyTypePolicy.deviceBoundRequiredBy(realm, client, user);
    if (deviceBoundBy.isPresent() && assertion.backupEligible()) {
      event
          .detail(Details.REASON, "device-bound required by " + deviceBoundBy.get())
          .error(FailureAnswers.DEVICE_BOUND_REQUIRED.eventError());
      return Optional.of(
          ChallengeAnswer.accessDenied("only device-bound passkeys count for this account"));
    }
    if (!assurance.metBy(hardwareProtected)) {
      event
          .detail(Details.REASON, "acr phrh needs a device-bound passkey of a verified model")
          .error(ChallengeAnswer.UNMET);
      return Optional.of(
          ChallengeAnswer.error(
              400,
              ChallengeAnswer.UNMET,
              "the requested acr needs a device-bound passkey: start again with another one"));
    }
    return Optional.empty();
  }

  private static boolean hardwareProtected(
      Passkey passkey, VerifiedAssertion assertion, RelyingPartySettings rp) {
    return AssuranceRequest.hardwareProtected(
        !assertion.backupEligible(), passkey, rp.attestation());
  }

  /**
   * The user session, the LOGIN event and the code, as OIDCLoginProtocol#authenticated makes it.
   */
  private String code(AuthenticationSessionModel authSession, Passkey passkey, EventBuilder event) {
    Map<String, String> notes = new LinkedHashMap<>(authSession.getClientNotes());
    event
        .detail(Details.CREDENTIAL_TYPE, passkey.type())
        .detail("credential_id", passkey.id())
        .detail(Details.CODE_ID, authSession.getParentSession().getId())
        .detail(Details.RESPONSE_TYPE, "code");
    ClientSessionContext context =
        AuthenticationProcessor.attachSession(
            authSession, null, session, realm, session.getContext().getConnection(), event);
    UserSessionModel userSession = context.getClientSession().getUserSession();
    userSession.setNote(AuthenticationManager.AUTH_TIME, Integer.toString(Time.currentTime()));
    OAuth2Code code =
        new OAuth2Code(
            SecretGenerator.getInstance().generateSecureID(),
            authSession.getClient().getId(),
            Time.currentTime() + realm.getAccessCodeLifespan(),
            notes.get(OIDCLoginProtocol.NONCE_PARAM),
            notes.get(OIDCLoginProtocol.SCOPE_PARAM),
            notes.get("resource"),
            null, // no redirect_uri: the token request carries none
            notes.get(OIDCLoginProtocol.CODE_CHALLENGE_PARAM),
            notes.get(OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM),
            null,
            userSession.getId());
    String value = OAuth2CodeParser.persistCode(session, context.getClientSession(), code);
    AuthenticationManager.logSuccess(session, authSession);
    event.session(userSession).success();
    PasskeyMetrics.signIn(realm.getName(), "first-party");
    return value;
  }

  /** A sign-in that ends without a code: its authentication session goes (no second try). */
  private void end(AuthenticationSessionModel authSession) {
    new AuthenticationSessionManager(session)
        .removeAuthenticationSession(realm, authSession, false);
  }

  private AuthenticationSessionModel authSession(ClientModel client, String handle) {
    int dot = handle == null ? -1 : handle.lastIndexOf('.');
    if (dot <= 0 || handle.length() > 1024) {
      return null;
    }
    try {
      return new AuthenticationSessionManager(session)
          .getAuthenticationSessionByEncodedIdAndClient(
              realm, handle.substring(0, dot), client, handle.substring(dot + 1));
    } catch (RuntimeException garbled) {
      return null;
    }
  }

  private static void note(AuthenticationSessionModel authSession, String name, String value) {
    if (value != null && !value.isBlank()) {
      authSession.setClientNote(name, value);
    }
  }
}
