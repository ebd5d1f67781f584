package dev.kcpasskeys.requiredaction;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.ceremony.RegistrationMediation;
import dev.kcpasskeys.ceremony.RelyingPartySettings;
import dev.kcpasskeys.ceremony.VerifiedRegistration;
import dev.kcpasskeys.challenge.ChallengeStore;
import dev.kcpasskeys.challenge.ChallengeStore.Ceremony;
import dev.kcpasskeys.config.NudgePolicy;
import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.config.SignUpPolicy;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.credential.PasskeyLimit;
import dev.kcpasskeys.credential.PasskeyNames;
import dev.kcpasskeys.credential.PasskeyRegistrar;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.credential.StorageUnavailableException;
import dev.kcpasskeys.metadata.AaguidCatalog;
import dev.kcpasskeys.notify.AdoptionEvents;
import dev.kcpasskeys.notify.ErrorEvents;
import dev.kcpasskeys.notify.FailureAnswers;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * Registers a passkey: as a required action, app-initiated ({@code kc_action=passkey-register},
 * with {@code kc_action_parameter=skip_if_exists}), and from the passkeys page. The page asks for a
 * name (pre-filled with a unique default) and then runs the ceremony; no window.prompt.
 */
public final class RegisterPasskeyAction implements RequiredActionProvider {

  static final String TEMPLATE = "passkey-register.ftl";
  static final String FIELD_RESPONSE = "passkey_response";
  static final String FIELD_ERROR = "passkey_error";
  static final String FIELD_NAME = "passkey_name";
  static final String FIELD_CANCEL = "cancel-aia";

  /**
   * The nudge's answers: later (Not now), never (Don't ask again), unsupported (the browser can't).
   */
  static final String FIELD_NUDGE = "nudge";

  /**
   * The page says the user kept the suggested name: we may then use the provider's name instead.
   */
  static final String FIELD_NAME_UNCHANGED = "passkey_name_default";

  /**
   * How the page's automatic upgrade attempt ended: {@value #UPGRADE_CREATED} (passkey_response
   * answers the upgrade challenge) or anything else (no passkey: the nudge or the sign-in goes on).
   */
  static final String FIELD_UPGRADE = "passkey_upgrade";

  static final String UPGRADE_CREATED = "created";

  private static final Logger LOG = Logger.getLogger(RegisterPasskeyAction.class);

  private final KeycloakSession session;
  private final PasskeyCeremony ceremony;
  private final PasskeyUpgrade upgrade;

  RegisterPasskeyAction(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.ceremony = ceremony;
    this.upgrade = new PasskeyUpgrade(session, ceremony);
  }

  @Override
  public InitiatedActionSupport initiatedActionSupport() {
    return InitiatedActionSupport.SUPPORTED;
  }

  /**
   * Keycloak asks after every completed required action: the offer after account recovery hooks in
   * here.
   */
  @Override
  public void evaluateTriggers(RequiredActionContext context) {
    RecoveryOffer.evaluate(session, context);
  }

  @Override
  public void requiredActionChallenge(RequiredActionContext context) {
    String parameter =
        context.getAuthenticationSession().getClientNote(Constants.KC_ACTION_PARAMETER);
    boolean signUp = SignUpPolicy.pending(context.getUser());
    if ((signUp || Constants.KC_ACTION_PARAMETER_SKIP_IF_EXISTS.equals(parameter))
        && hasPasskey(context)) {
      // A sign-up whose passkey was added another way (the passkeys page, an admin) is finished
      // too.
      SignUpPolicy.finish(context.getUser());
      context.success();
      return;
    }
    if (PasskeyLimit.reached(
            new PasskeyStore(session, context.getRealm()), context.getRealm(), context.getUser())
        .isPresent()) {
      if (!appInitiated(context)) {
        // Required by an admin of a user who has every passkey the realm allows: nothing to ask.
        context.success();
        return;
      }
      // Asked for by an app: say why no passkey can be added; the page still offers Cancel.
      context.challenge(page(context, FailureAnswers.LIMIT_REACHED.messageKey(), null));
      return;
    }
    context.challenge(page(context, null, null));
  }

  @Override
  public void processAction(RequiredActionContext context) {
    MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
    if (PasskeyUpgrade.pending(context) && endUpgrade(context, form)) {
      return;
    }
    if (form.containsKey(FIELD_NUDGE) && nudge(context)) {
      answerNudge(context, form.getFirst(FIELD_NUDGE));
      return;
    }
    if (form.containsKey(FIELD_CANCEL) && appInitiated(context)) {
      context
          .getEvent()
          .event(EventType.UPDATE_CREDENTIAL)
          .detail(Details.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE)
          .error("passkey_registration_cancelled");
      context.cancel();
      return;
    }
    String name = form.getFirst(FIELD_NAME);
    if (!form.containsKey(FIELD_RESPONSE)) {
      String key =
          form.containsKey(FIELD_ERROR)
              ? FailureAnswers.forClientCode(form.getFirst(FIELD_ERROR))
              : "passkeyFailed";
      fail(context, "passkey_client_error", key, name);
      return;
    }
    PasskeyNames.Result validName = PasskeyNames.validate(name);
    if (!validName.valid()) {
      fail(context, "passkey_invalid_name", validName.errorKey().orElseThrow(), name);
      return;
    }
    register(
        context,
        form.getFirst(FIELD_RESPONSE),
        validName.name().orElseThrow(),
        "true".equals(form.getFirst(FIELD_NAME_UNCHANGED)));
  }

  private void register(
      RequiredActionContext context, String responseJson, String typedName, boolean defaultName) {
    UserModel user = context.getUser();
    PasskeyStore store = new PasskeyStore(session, context.getRealm());
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, context.getRealm());
    Optional<byte[]> challenge =
        new ChallengeStore(session, context.getAuthenticationSession())
            .consume(Ceremony.REGISTER, rp.timeout().toMillis());
    if (challenge.isEmpty()) {
      fail(context, "expired_code", "passkeyExpired", typedName);
      return;
    }
    String source =
        source(context); // before SignUpPolicy.finish: a finished sign-up is no longer "sign-up"
    PasskeyRegistrar.Outcome outcome =
        new PasskeyRegistrar(store, ceremony)
            .register(
                user,
                context.getAuthenticationSession().getClient(),
                rp,
                challenge.get(),
                responseJson,
                RegistrationMediation.MODAL,
                (verified, existing) -> name(verified, typedName, defaultName, existing),
                source);
    if (outcome instanceof PasskeyRegistrar.Refused refused) {
      context.getEvent().detail(Details.REASON, refused.reason().name());
      FailureAnswers.Answer answer = FailureAnswers.forRegistration(refused.reason());
      fail(context, answer.eventError(), answer.messageKey(), typedName);
      return;
    }
    if (outcome instanceof PasskeyRegistrar.PolicyRefused refused) {
      context.getEvent().detail(Details.REASON, refused.description());
      fail(context, refused.answer().eventError(), refused.answer().messageKey(), typedName);
      return;
    }
    if (outcome instanceof PasskeyRegistrar.StorageUnavailable unavailable) {
      storageUnavailable(context, typedName, unavailable.cause());
      return;
    }
    SignUpPolicy.finish(user);
    // Not sent here: Keycloak sends the action's event once it succeeds (LoginActionsService's
    // event.clone().success()), so sending it as well stored every registration twice.
    ((PasskeyRegistrar.Saved) outcome).describe(context.getEvent(), source);
    if (nudge(context)) {
      AdoptionEvents.nudge(
          session, context.getAuthenticationSession(), context.getUser(), "accepted");
      context.getAuthenticationSession().removeAuthNote(PasskeyIds.NUDGE_NOTE);
    }
    context.success();
  }

  /**
   * The AAGUID is known only now: a kept suggestion becomes the provider's name ("iCloud
   * Keychain").
   */
  private static String name(
      VerifiedRegistration verified,
      String typedName,
      boolean keptSuggestion,
      List<Passkey> existing) {
    if (!keptSuggestion) {
      return typedName;
    }
    return verified
        .passkey()
        .aaguid()
        .flatMap(AaguidCatalog.get()::find)
        .map(
            p ->
                PasskeyNames.uniqueDefault(
                    Optional.of(p.name()), "", existing.stream().map(Passkey::name).toList()))
        .orElse(typedName);
  }

  /**
   * The first answer of a page that tried an automatic upgrade ends the attempt. True when that
   * answer is dealt with here: a passkey was made (the nudge is skipped), or nothing else was asked
   * (the page's Continue, or its script after an attempt without a passkey): then the nudge, if
   * due, or the sign-in goes on. False when the form also carries the user's answer to the nudge,
   * which the caller handles.
   */
  private boolean endUpgrade(RequiredActionContext context, MultivaluedMap<String, String> form) {
    if (UPGRADE_CREATED.equals(form.getFirst(FIELD_UPGRADE))) {
      if (upgrade.register(context, form.getFirst(FIELD_RESPONSE))) {
        context.getAuthenticationSession().removeAuthNote(PasskeyIds.NUDGE_NOTE);
        context.success();
      } else if (nudge(context)) {
        context.challenge(page(context, null, null));
      } else {
        context.success();
      }
      return true;
    }
    upgrade.fellBack(context);
    boolean answered =
        form.containsKey(FIELD_NUDGE)
            || form.containsKey(FIELD_RESPONSE)
            || form.containsKey(FIELD_ERROR)
            || form.containsKey(FIELD_CANCEL);
    if (answered) {
      if (nudge(context) && !"unsupported".equals(form.getFirst(FIELD_NUDGE))) {
        // The page showed the nudge itself once the attempt made no passkey: count it as shown
        // here.
        AdoptionEvents.nudge(
            session, context.getAuthenticationSession(), context.getUser(), "shown");
      }
      return false;
    }
    if (nudge(context)) {
      context.challenge(page(context, null, null));
    } else {
      context.success();
    }
    return true;
  }

  /** Not now / Don't ask again / can't here: the sign-in goes on without a passkey. */
  private void answerNudge(RequiredActionContext context, String answer) {
    NudgePolicy policy = NudgePolicy.read(context.getRealm());
    UserModel user = context.getUser();
    String realm = context.getRealm().getName();
    if (policy.forced(user) && !"unsupported".equals(answer)) {
      context.challenge(page(context, "passkeyNudgeRequired", null));
      return;
    }
    switch (answer == null ? "" : answer) {
      case "never" -> {
        NudgePolicy.neverAsk(user);
        AdoptionEvents.nudge(session, context.getAuthenticationSession(), user, "declined");
      }
      case "unsupported" ->
          AdoptionEvents.nudge(session, context.getAuthenticationSession(), user, "unsupported");
      default -> {
        policy.snooze(user, System.currentTimeMillis());
        AdoptionEvents.nudge(session, context.getAuthenticationSession(), user, "snoozed");
      }
    }
    context.getAuthenticationSession().removeAuthNote(PasskeyIds.NUDGE_NOTE);
    context.success();
  }

  static boolean nudge(RequiredActionContext context) {
    return "true".equals(context.getAuthenticationSession().getAuthNote(PasskeyIds.NUDGE_NOTE));
  }

  /**
   * The database could not be asked or written (nothing was saved): the registration page again,
   * with a fresh challenge so that "try again" works once the database is back, answered 503. The
   * challenge of this attempt is spent, as after any attempt.
   */
  private void storageUnavailable(
      RequiredActionContext context, String name, StorageUnavailableException e) {
    LOG.warnf(
        "Could not save a passkey for user %s of realm %s; the user was asked to try again: %s",
        context.getUser().getId(), context.getRealm().getName(), e.reason());
    ErrorEvents.sendOrLog(
        context
            .getEvent()
            .event(EventType.UPDATE_CREDENTIAL)
            .detail(Details.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE)
            .detail(Details.REASON, "storage_unavailable"),
        "passkey_storage_unavailable");
    Response page = page(context, "passkeyStorageUnavailable", name);
    context.challenge(
        Response.fromResponse(page).status(Response.Status.SERVICE_UNAVAILABLE).build());
  }

  private void fail(
      RequiredActionContext context, String eventError, String messageKey, String name) {
    ErrorEvents.sendOrLog(
        context
            .getEvent()
            .event(EventType.UPDATE_CREDENTIAL)
            .detail(Details.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE),
        eventError);
    context.challenge(page(context, messageKey, name));
  }

  private Response page(RequiredActionContext context, String errorKey, String typedName) {
    UserModel user = context.getUser();
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, context.getRealm());
    List<Passkey> existing = new PasskeyStore(session, context.getRealm()).list(user);
    byte[] challenge = PasskeyCeremony.newChallenge();
    new ChallengeStore(session, context.getAuthenticationSession())
        .put(Ceremony.REGISTER, challenge);
    String options =
        ceremony
            .creationOptions(
                rp,
                PasskeyStore.identity(user),
                challenge,
                existing.stream().map(Passkey::stored).toList())
            .toJson();
    String defaultName =
        PasskeyNames.uniqueDefault(
            Optional.empty(),
            PasskeyRequest.userAgent(session),
            existing.stream().map(Passkey::name).toList());
    boolean nudge = nudge(context);
    // With an upgrade attempt first, the page shows the nudge only if that makes no passkey
    // (counted then).
    String upgradeOptions =
        PasskeyUpgrade.pending(context)
            ? PasskeyRequest.forPage(upgrade.options(context, existing))
            : "";
    if (nudge && upgradeOptions.isEmpty() && errorKey == null && typedName == null) {
      AdoptionEvents.nudge(session, context.getAuthenticationSession(), context.getUser(), "shown");
    }
    var form =
        context
            .form()
            .setAttribute(
                "passkeyRegister",
                new RegisterPageModel(
                    PasskeyRequest.forPage(options),
                    typedName == null ? defaultName : typedName,
                    appInitiated(context),
                    nudge,
                    nudge && !NudgePolicy.read(context.getRealm()).forced(user),
                    "true"
                        .equals(
                            context
                                .getAuthenticationSession()
                                .getAuthNote(PasskeyIds.CROSS_DEVICE_NOTE)),
                    nudge && RecoveryOffer.recovery(context),
                    SignUpPolicy.pending(user),
                    upgradeOptions));
    if (errorKey != null) {
      form.setError(errorKey);
    }
    return form.createForm(TEMPLATE);
  }

  private boolean hasPasskey(RequiredActionContext context) {
    return new PasskeyStore(session, context.getRealm())
        .list(context.getUser()).stream()
            .anyMatch(p -> p.type().equals(PasskeyIds.CREDENTIAL_TYPE));
  }

  static boolean appInitiated(RequiredActionContext context) {
    return PasskeyIds.REQUIRED_ACTION_ID.equals(
        context.getAuthenticationSession().getClientNote(Constants.KC_ACTION));
  }

  private static String source(RequiredActionContext context) {
    if (SignUpPolicy.pending(context.getUser())) {
      return "sign-up";
    }
    if (appInitiated(context)) {
      return "app";
    }
    return nudge(context) ? (RecoveryOffer.recovery(context) ? "recovery" : "nudge") : "login";
  }

  @Override
  public void close() {}
}
