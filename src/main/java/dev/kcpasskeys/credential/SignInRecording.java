package dev.kcpasskeys.credential;

import dev.kcpasskeys.ceremony.StoredPasskey;
import dev.kcpasskeys.ceremony.VerifiedAssertion;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * What a sign-in writes, one of {@link PasskeyStore}'s jobs on its own: the counter and backup
 * flags (in a short transaction of their own that re-reads the row and retries on a version
 * conflict) and the last use (one conditional UPDATE). Reached only through {@link
 * PasskeyStore#recordSignIn}.
 */
final class SignInRecording {

  private static final Logger LOG = Logger.getLogger(SignInRecording.class);
  private static final int RECORD_ATTEMPTS = 4;

  private final KeycloakSession session;
  private final RealmModel realm;
  private final UserProvider database;

  SignInRecording(KeycloakSession session, RealmModel realm, UserProvider database) {
    this.session = session;
    this.realm = realm;
    this.database = database;
  }

  /** Keycloak's JPA user store itself, under its cache (the cache when there is no JPA store). */
  static UserProvider database(KeycloakSession session) {
    return Optional.ofNullable(session.getProvider(UserProvider.class, "jpa"))
        .orElse(session.users());
  }

  /**
   * Records an accepted assertion when {@link SignInRecord#needed} says so: the presented counter
   * (never lower than what is stored), BS and last use. WebAuthn L3 §7.2 step 23 leaves the update
   * to us; under concurrency (two nodes verifying two assertions of one passkey at once) a plain
   * read-modify-write loses updates, so this runs in its own short transaction that re-reads the
   * stored counter, writes the maximum, and retries on a version conflict. A verified sign-in never
   * fails because of this bookkeeping.
   */
  void record(UserModel user, Passkey passkey, VerifiedAssertion assertion) {
    long now = System.currentTimeMillis();
    switch (SignInRecord.needed(passkey, assertion.newSignCount(), assertion.backupState(), now)) {
      case NOTHING -> {}
      case LAST_USE -> recordLastUse(user, passkey, now);
      case COUNTER_OR_FLAGS -> recordCounterAndFlags(user, passkey, assertion);
    }
  }

  /**
   * Last use alone, in this request's transaction, straight to the database: no cache eviction, so
   * the user stays cached for the token request that follows and for the next sign-in. Cached
   * copies keep an older last use; {@link PasskeyStore#listWithUsage} reads the database.
   *
   * <p>Whether a write is due is decided twice. First a cluster-wide marker in Keycloak's
   * single-use store: without it, every sign-in of a passkey whose cached copy shows an old last
   * use would run a statement (the benchmark measured one such UPDATE, even matching no row, at
   * about a tenth of a sign-in's cost on PostgreSQL). Then the UPDATE's own condition ({@link
   * JpaAttributeUpdate}), so that a lost marker or two nodes racing never write twice within the
   * resolution.
   */
  private void recordLastUse(UserModel user, Passkey passkey, long now) {
    String recentlyRecorded = "passkeys.last-use." + realm.getId() + "." + passkey.id();
    if (!session
        .getProvider(SingleUseObjectProvider.class)
        .putIfAbsent(recentlyRecorded, SignInRecord.LAST_USE_RESOLUTION.toSeconds())) {
      return;
    }
    String name = StoredFormat.LAST_USE_PREFIX + passkey.id();
    String olderThan = Long.toString(now - SignInRecord.LAST_USE_RESOLUTION.toMillis());
    switch (JpaAttributeUpdate.overwriteIfOlder(
        session, user.getId(), name, Long.toString(now), olderThan)) {
      case WRITTEN -> {} // the usual case: one UPDATE
      case NOTHING_CHANGED -> {
        // Recorded within the resolution by a sign-in this cached copy has not seen; or no value
        // yet
        // (the passkey's first sign-in), which the copy, read before, would show as missing too.
        if (user.getFirstAttribute(name) == null) {
          writeLastUseThroughModel(user, name, now);
        }
      }
      case USE_USER_MODEL -> writeLastUseThroughModel(user, name, now);
    }
  }

  private void writeLastUseThroughModel(UserModel user, String name, long now) {
    UserModel stored = database.getUserById(realm, user.getId());
    if (stored == null) {
      return; // a user storage provider that keeps no local copy: nowhere to record it
    }
    String previous = stored.getFirstAttribute(name);
    if (!SignInRecord.lastUseDue(StoredFormat.parseMillis(previous), now)) {
      return;
    }
    LOG.debugf("Last use of passkey %s written through the user model", name);
    stored.setSingleAttribute(name, Long.toString(now));
    if (previous == null) {
      // The cached copy lacks the new attribute; once it has it, sign-ins take the one-UPDATE path.
      PasskeyStore.forgetCachedUser(session, realm, user);
    }
  }

  private void recordCounterAndFlags(UserModel user, Passkey passkey, VerifiedAssertion assertion) {
    for (int attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
      try {
        KeycloakModelUtils.runJobInTransaction(
            session.getKeycloakSessionFactory(),
            session.getContext(),
            s ->
                new SignInRecording(
                        s, s.realms().getRealm(realm.getId()), SignInRecording.database(s))
                    .recordInThisTransaction(user.getId(), passkey, assertion));
        PasskeyStore.forgetCachedUser(session, realm, user);
        return;
      } catch (RuntimeException conflict) {
        LOG.debugf(
            "Recording a sign-in of passkey %s conflicted (attempt %d): %s",
            passkey.id(), attempt, conflict.getClass().getSimpleName());
      }
    }
    LOG.warnf(
        "Could not record the sign-in of passkey %s of user %s after %d attempts",
        passkey.id(), user.getId(), RECORD_ATTEMPTS);
  }

  private void recordInThisTransaction(
      String userId, Passkey passkey, VerifiedAssertion assertion) {
    // Read the database, not the user cache: deciding on a cached (stale) counter would let a
    // lower counter overwrite a higher one that another node has just committed.
    UserModel user = database.getUserById(realm, userId);
    CredentialModel model =
        user == null ? null : user.credentialManager().getStoredCredentialById(passkey.id());
    if (model == null) {
      return; // deleted meanwhile
    }
    StoredPasskey updated = assertion.updatedPasskey(); // step 23 as the ceremony decides it
    WebAuthnCredentialModel webauthn = WebAuthnCredentialModel.createFromCredentialModel(model);
    if (updated.signCount() > webauthn.getWebAuthnCredentialData().getCounter()) {
      webauthn.updateCounter(updated.signCount());
      user.credentialManager().updateStoredCredential(webauthn);
    }
    PasskeyMetadata current = StoredFormat.readMetadata(user, passkey.id());
    StoredFormat.writeMetadata(
        user,
        passkey.id(),
        current.usedAt(
            System.currentTimeMillis(),
            updated.backupState(),
            updated.backupEligible().orElse(assertion.backupEligible())));
    PasskeyStore.forgetCachedUser(
        session, realm, user); // on every node: the next read sees what was just written
  }
}
