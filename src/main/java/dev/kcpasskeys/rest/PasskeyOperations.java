package dev.kcpasskeys.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.ceremony.RegistrationMediation;
import dev.kcpasskeys.ceremony.RelyingPartySettings;
import dev.kcpasskeys.challenge.PendingRegistrations;
import dev.kcpasskeys.challenge.PendingRegistrations.Pending;
import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.credential.PasskeyLimit;
import dev.kcpasskeys.credential.PasskeyNames;
import dev.kcpasskeys.credential.PasskeyRegistrar;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.credential.StorageUnavailableException;
import dev.kcpasskeys.notify.ErrorEvents;
import dev.kcpasskeys.notify.FailureAnswers;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * What the app API, the admin API and the passkeys page do to a user's passkeys: one place for the
 * rules (name validation, last-sign-in-method guard, uniqueness) and the events. Failures are
 * {@link ApiError}s with stable codes; nothing is changed when one is thrown.
 */
public final class PasskeyOperations {

  private static final Logger LOG = Logger.getLogger(PasskeyOperations.class);

  private final KeycloakSession session;
  private final RealmModel realm;
  private final PasskeyStore store;
  private final boolean byAdmin;

  private PasskeyOperations(KeycloakSession session, RealmModel realm, boolean byAdmin) {
    this.session = session;
    this.realm = realm;
    this.store = new PasskeyStore(session, realm);
    this.byAdmin = byAdmin;
  }

  /** What users do to their own passkeys (the app API, the passkeys page). */
  public static PasskeyOperations byUser(KeycloakSession session, RealmModel realm) {
    return new PasskeyOperations(session, realm, false);
  }

  /** What admins do to a user's passkeys (the admin API). */
  public static PasskeyOperations byAdmin(KeycloakSession session, RealmModel realm) {
    return new PasskeyOperations(session, realm, true);
  }

  public List<PasskeyRepresentation> list(UserModel user) {
    return store.listWithUsage(user).stream().map(PasskeyRepresentation::of).toList();
  }

  /** Unknown ids and ids of another user's credentials look the same: 404. */
  public Passkey find(UserModel user, String id) {
    return store
        .findWithUsage(user, id)
        .orElseThrow(() -> new ApiError(404, "not_found", "no passkey with this id"));
  }

  public PasskeyRepresentation rename(
      UserModel user, String id, String requestedName, EventBuilder event) {
    Passkey passkey = changeable(find(user, id));
    String name = validName(requestedName);
    Passkey renamed =
        inOwnTransaction(
            user,
            (s, u) -> {
              // Holds the user's row as a delete does: a rename and a delete of the same passkey
              // take turns instead of one failing on the other's version of the credential.
              PasskeyStore own = new PasskeyStore(s, s.getContext().getRealm());
              UserModel held = own.lockAndRead(u);
              own.rename(held, own.find(held, id).orElseThrow(PasskeyOperations::gone), name);
              return own.findWithUsage(held, id).orElseThrow(PasskeyOperations::gone);
            });
    event
        .event(EventType.UPDATE_CREDENTIAL)
        .user(user)
        .detail(Details.CREDENTIAL_TYPE, passkey.type())
        .detail("credential_id", passkey.id())
        .detail("old_name", passkey.name())
        .detail("new_name", name)
        .success();
    return PasskeyRepresentation.of(renamed);
  }

  public void delete(UserModel user, String id, EventBuilder event) {
    Passkey passkey = changeable(find(user, id));
    // Decided and done in one transaction that holds the user's row: two deletes of a user's last
    // two
    // passkeys (on one node or two) cannot both see "another one is left" (#20 item 5).
    inOwnTransaction(
        user,
        (s, u) -> {
          PasskeyStore own = new PasskeyStore(s, s.getContext().getRealm());
          UserModel held = own.lockAndRead(u);
          Passkey current = own.find(held, id).orElseThrow(PasskeyOperations::gone);
          if (!own.hasOtherSignInMethod(held, current)) {
            throw new ApiError(
                409,
                "last_sign_in_method",
                "this passkey is the user's only way to sign in; add another passkey or a password first");
          }
          own.remove(held, current);
          return null;
        });
    event
        .event(EventType.REMOVE_CREDENTIAL)
        .user(user)
        .detail(Details.CREDENTIAL_TYPE, passkey.type())
        .detail("credential_id", passkey.id())
        .detail("credential_name", passkey.name())
        .success();
  }

  /**
   * A Keycloak two-factor security key stays under Keycloak's own rules for users (its account
   * console asks for a sign-in at that key's level before deleting it), so users cannot rename or
   * delete one here; admins can, as in Keycloak's admin console.
   */
  private Passkey changeable(Passkey passkey) {
    if (!byAdmin && PasskeyIds.CREDENTIAL_TYPE_TWO_FACTOR.equals(passkey.type())) {
      throw new ApiError(
          403,
          "two_factor_key",
          "this security key is a second factor after the password; manage it in the account console (Signing in)");
    }
    return passkey;
  }

  /**
   * Finishes a registration the app API or the passkeys page started: the body is {@code
   * {"credential": <RegistrationResponseJSON>, "name"?: "..."}}, and the pending registration must
   * be this user's, of this session; it is spent either way.
   */
  public PasskeyRepresentation finishPending(
      String pendingId,
      byte[] body,
      UserModel user,
      ClientModel app,
      String userSessionId,
      String source,
      PasskeyCeremony ceremony,
      EventBuilder event) {
    JsonNode json = JsonBody.object(body);
    JsonNode credential = JsonBody.credential(json);
    Optional<String> name =
        json.hasNonNull("name") ? Optional.of(JsonBody.text(json, "name")) : Optional.empty();
    PendingRegistrations.Pending pending =
        new PendingRegistrations(session)
            .take(pendingId)
            .filter(p -> p.userId().equals(user.getId()) && p.sessionId().equals(userSessionId))
            .orElseThrow(
                () ->
                    new ApiError(
                        404,
                        "not_found",
                        "no pending registration with this id (expired or used)"));
    return register(
        user, app, pending.challenge(), credential.toString(), name, source, ceremony, event);
  }

  /** Finishes a registration whose challenge the caller already took from its single-use store. */
  public PasskeyRepresentation register(
      UserModel user,
      ClientModel app,
      byte[] challenge,
      String responseJson,
      Optional<String> requestedName,
      String source,
      PasskeyCeremony ceremony,
      EventBuilder event) {
    Optional<String> name = requestedName.map(PasskeyOperations::validName);
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, realm);
    PasskeyRegistrar.Outcome outcome =
        new PasskeyRegistrar(store, ceremony)
            .register(
                user,
                app,
                rp,
                challenge,
                responseJson,
                RegistrationMediation.MODAL,
                (verified, existing) ->
                    name.orElseGet(
                        () ->
                            PasskeyRegistrar.defaultName(
                                verified, PasskeyRequest.userAgent(session), existing)),
                source);
    if (outcome instanceof PasskeyRegistrar.Refused refused) {
      FailureAnswers.Answer answer = FailureAnswers.forRegistration(refused.reason());
      ErrorEvents.sendOrLog(
          event
              .event(EventType.UPDATE_CREDENTIAL)
              .user(user)
              .detail(Details.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE)
              .detail(Details.REASON, refused.reason().name()),
          answer.eventError());
      throw new ApiError(
          answer.httpStatus(),
          answer.httpStatus() == 503 ? "temporarily_unavailable" : "invalid_credential",
          "the passkey was not accepted (" + refused.reason().name().toLowerCase() + ")");
    }
    if (outcome instanceof PasskeyRegistrar.PolicyRefused refused) {
      throw policyRefused(user, refused, event);
    }
    if (outcome instanceof PasskeyRegistrar.StorageUnavailable unavailable) {
      throw storageUnavailable(user, event, unavailable.cause());
    }
    PasskeyRegistrar.Saved saved = (PasskeyRegistrar.Saved) outcome;
    Passkey passkey = saved.passkey();
    saved.describe(event.user(user), source).success();
    return PasskeyRepresentation.of(passkey);
  }

  /**
   * Starts a registration for the user's session: {@code {id, publicKey}}, where the caller passes
   * {@code publicKey} to navigator.credentials.create(). The caller has checked {@link
   * #requireRoomForOneMore} first (before asking for a fresh sign-in); the registrar checks the
   * limit again when the registration ends.
   */
  public ObjectNode startRegistration(
      UserModel user, String userSessionId, PasskeyCeremony ceremony) {
    RelyingPartySettings rp = PasskeyRequest.relyingParty(session, realm);
    byte[] challenge = PasskeyCeremony.newChallenge();
    var existing = store.list(user).stream().map(Passkey::stored).toList();
    String options =
        ceremony.creationOptions(rp, PasskeyStore.identity(user), challenge, existing).toJson();
    String id =
        new PendingRegistrations(session)
            .start(new Pending(user.getId(), userSessionId, challenge), rp.timeout().toSeconds());
    ObjectNode result = JsonNodeFactory.instance.objectNode().put("id", id);
    result.set("publicKey", JsonBody.tree(options));
    return result;
  }

  /**
   * 409 {@code passkey_limit_reached} when the user has as many passkeys as the realm allows.
   * Checked first, before a fresh sign-in is asked for: signing in again would not help.
   */
  public void requireRoomForOneMore(UserModel user, EventBuilder event) {
    OptionalInt limit = PasskeyLimit.reached(store, realm, user);
    if (limit.isPresent()) {
      throw policyRefused(user, PasskeyRegistrar.PolicyRefused.limit(limit.getAsInt()), event);
    }
  }

  /**
   * A passkey the realm's policy does not take (past the limit, or synced where device-bound ones
   * are required): the policy's status and error code, an event, nothing saved.
   */
  private ApiError policyRefused(
      UserModel user, PasskeyRegistrar.PolicyRefused refused, EventBuilder event) {
    ErrorEvents.sendOrLog(
        event
            .event(EventType.UPDATE_CREDENTIAL)
            .user(user)
            .detail(Details.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE)
            .detail(Details.REASON, refused.description()),
        refused.answer().eventError());
    return new ApiError(
        refused.answer().httpStatus(), refused.answer().eventError(), refused.description());
  }

  /** Nothing was saved and this registration is spent; the app starts a new one in a moment. */
  private ApiError storageUnavailable(
      UserModel user, EventBuilder event, StorageUnavailableException e) {
    LOG.warnf(
        "Could not save a passkey for user %s of realm %s; answered 503: %s",
        user.getId(), realm.getName(), e.reason());
    ErrorEvents.sendOrLog(
        event
            .event(EventType.UPDATE_CREDENTIAL)
            .user(user)
            .detail(Details.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE)
            .detail(Details.REASON, "storage_unavailable"),
        "passkey_storage_unavailable");
    return new ApiError(
        503,
        "temporarily_unavailable",
        "the passkey could not be saved right now and nothing was saved; start a new registration in a moment");
  }

  /**
   * Runs a change in its own transaction and commits it here, so that a concurrent change to the
   * same passkey (a rename racing a delete, on this node or another) surfaces as a clean 404
   * instead of an optimistic-lock failure when the request's own transaction commits (a 500).
   */
  private <T> T inOwnTransaction(
      UserModel user, java.util.function.BiFunction<KeycloakSession, UserModel, T> change) {
    java.util.concurrent.atomic.AtomicReference<T> result =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      KeycloakModelUtils.runJobInTransaction(
          session.getKeycloakSessionFactory(),
          session.getContext(),
          s -> {
            s.getContext().setRealm(s.realms().getRealm(realm.getId()));
            UserModel own = s.users().getUserById(s.getContext().getRealm(), user.getId());
            if (own == null) {
              throw gone();
            }
            result.set(change.apply(s, own));
          });
    } catch (ApiError e) {
      throw e;
    } catch (RuntimeException concurrentChange) {
      throw gone();
    }
    PasskeyStore.forgetCachedUser(session, realm, user);
    return result.get();
  }

  private static ApiError gone() {
    return new ApiError(404, "not_found", "no passkey with this id");
  }

  public static String validName(String requested) {
    PasskeyNames.Result result = PasskeyNames.validate(requested);
    if (!result.valid()) {
      String key = result.errorKey().orElse("passkeyNameRequired");
      throw new ApiError(
          422,
          "invalid_name",
          switch (key) {
            case "passkeyNameTooLong" -> "name must be at most 64 characters";
            case "passkeyNameInvalidCharacters" ->
                "name must not contain control or bidirectional-override characters";
            default -> "name is required";
          });
    }
    return result.name().orElseThrow();
  }
}
