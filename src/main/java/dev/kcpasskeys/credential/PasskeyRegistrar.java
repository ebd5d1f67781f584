package dev.kcpasskeys.credential;

import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.ceremony.PasskeyVerificationException;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.ceremony.RegistrationMediation;
import dev.kcpasskeys.ceremony.RelyingPartySettings;
import dev.kcpasskeys.ceremony.VerifiedRegistration;
import dev.kcpasskeys.config.PasskeyTypePolicy;
import dev.kcpasskeys.metadata.AaguidCatalog;
import dev.kcpasskeys.notify.FailureAnswers;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.UserModel;

/**
 * The one registration path. The ceremony verifies the response; the credential ID is claimed
 * cluster-wide; the passkey is saved under its name; a failed save releases the claim. The
 * registration page, the automatic upgrade and the APIs each only turn the {@link Outcome} into a
 * page, an event or an HTTP answer (they used to run these four steps each on their own).
 */
public final class PasskeyRegistrar {

  /** How a registration ended. */
  public sealed interface Outcome permits Saved, Refused, PolicyRefused, StorageUnavailable {}

  /** Verified and saved. */
  public record Saved(Passkey passkey, VerifiedRegistration verified) implements Outcome {

    /** The registration's event: {@code UPDATE_CREDENTIAL} with what every path records of it. */
    public EventBuilder describe(EventBuilder event, String source) {
      return event
          .event(EventType.UPDATE_CREDENTIAL)
          .detail(Details.CREDENTIAL_TYPE, passkey.type())
          .detail("credential_id", passkey.id())
          .detail("credential_name", passkey.name())
          .detail("aaguid", passkey.aaguid().map(Object::toString).orElse(""))
          .detail("passkey_source", source);
    }
  }

  /** Refused by the ceremony, or its credential ID is someone's already: nothing was saved. */
  public record Refused(Reason reason) implements Outcome {}

  /**
   * A passkey the realm's policy does not take, nothing saved: one past the user's limit ({@link
   * PasskeyLimit}), or a synced one where only device-bound passkeys count ({@link
   * PasskeyTypePolicy}).
   *
   * @param answer how pages, APIs and events answer it
   * @param description a sentence for API clients and logs
   */
  public record PolicyRefused(FailureAnswers.Answer answer, String description) implements Outcome {

    /** The limit reached, as the registration starts or ends. */
    public static PolicyRefused limit(int limit) {
      return new PolicyRefused(
          FailureAnswers.LIMIT_REACHED,
          "this account has "
              + limit
              + " passkeys, the most this realm allows: delete one before adding another");
    }
  }

  /** The database could not be asked or written: nothing was saved, the claim is released. */
  public record StorageUnavailable(StorageUnavailableException cause) implements Outcome {}

  /** The passkey's name, decided once its AAGUID is known, among the user's other passkeys. */
  @FunctionalInterface
  public interface Naming {
    String name(VerifiedRegistration verified, List<Passkey> existing);
  }

  private final PasskeyStore store;
  private final PasskeyCeremony ceremony;

  public PasskeyRegistrar(PasskeyStore store, PasskeyCeremony ceremony) {
    this.store = store;
    this.ceremony = ceremony;
  }

  /**
   * Verifies a registration response and saves the passkey, under the realm's policy for this user
   * and app.
   *
   * @param app the app the registration happens for (the sign-in's or the API token's client); null
   *     on the passkeys page
   */
  public Outcome register(
      UserModel user,
      ClientModel app,
      RelyingPartySettings rp,
      byte[] challenge,
      String responseJson,
      RegistrationMediation mediation,
      Naming naming,
      String source) {
    OptionalInt limit = PasskeyLimit.reached(store, store.realm(), user);
    if (limit.isPresent()) {
      return PolicyRefused.limit(limit.getAsInt());
    }
    VerifiedRegistration verified;
    try {
      verified =
          ceremony.finishRegistration(
              rp, challenge, PasskeyStore.userHandle(user), responseJson, store, mediation);
    } catch (PasskeyVerificationException e) {
      return new Refused(e.reason());
    } catch (StorageUnavailableException e) {
      return new StorageUnavailable(e);
    }
    Optional<String> deviceBoundBy =
        PasskeyTypePolicy.deviceBoundRequiredBy(store.realm(), app, user);
    if (deviceBoundBy.isPresent() && verified.passkey().backupEligible().orElse(true)) {
      return new PolicyRefused(
          FailureAnswers.DEVICE_BOUND_REQUIRED,
          "only device-bound passkeys (backup eligibility 0) count for this account ("
              + deviceBoundBy.get()
              + "): a synced passkey was not saved");
    }
    byte[] credentialId = verified.passkey().credentialId();
    if (!store.claimCredentialId(credentialId)) {
      return new Refused(Reason.CREDENTIAL_ID_TAKEN);
    }
    try {
      return new Saved(
          store.save(user, verified, existing -> naming.name(verified, existing), source),
          verified);
    } catch (StorageUnavailableException e) {
      store.releaseCredentialId(credentialId);
      return new StorageUnavailable(e);
    }
  }

  /**
   * The name a passkey gets when nobody chose one: its provider's ("iCloud Keychain") where the
   * AAGUID says, else browser and operating system, made unique among the user's passkeys.
   */
  public static String defaultName(
      VerifiedRegistration verified, String userAgent, List<Passkey> existing) {
    return PasskeyNames.uniqueDefault(
        verified
            .passkey()
            .aaguid()
            .flatMap(AaguidCatalog.get()::find)
            .map(AaguidCatalog.Provider::name),
        userAgent,
        existing.stream().map(Passkey::name).toList());
  }
}
