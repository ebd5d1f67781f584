package dev.kcpasskeys.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import dev.kcpasskeys.ceremony.PasskeyLookup;
import dev.kcpasskeys.ceremony.StoredPasskey;
import dev.kcpasskeys.ceremony.UserIdentity;
import dev.kcpasskeys.support.PasskeyConstants;
import dev.kcpasskeys.support.PasskeyMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.credential.AttestationStatementConverter;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.models.credential.dto.WebAuthnCredentialData;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The one storage gateway for passkeys: the only class that calls {@code credentialManager()} or
 * knows the stored formats. Methods never return null.
 *
 * <p>Passkeys are Keycloak {@code webauthn-passwordless} credentials in Keycloak's own format, so
 * its account and admin consoles list them and its built-in login still works after an uninstall.
 * What that format cannot hold (BE/BS, last use, source) is a small JSON user attribute per passkey,
 * and a multi-valued user attribute indexes SHA-256 hashes of credential IDs for the realm-wide
 * uniqueness check (WebAuthn L3 §7.1 step 26).
 */
public final class PasskeyStore implements PasskeyLookup {

  static final String META_PREFIX = "passkeys.meta.";
  static final String CREDENTIAL_INDEX = "passkeys.credential-id";
  private static final Logger LOG = Logger.getLogger(PasskeyStore.class);
  private static final int RECORD_ATTEMPTS = 4;
  private static final String USER_CACHE = "org.keycloak.models.cache.UserCache";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectConverter CONVERTER = new ObjectConverter();
  private static final Set<String> TYPES =
      Set.of(PasskeyConstants.CREDENTIAL_TYPE, PasskeyConstants.CREDENTIAL_TYPE_TWO_FACTOR);

  private final KeycloakSession session;
  private final RealmModel realm;
  /** Per-request memo (instances live for one request): a sign-in reads the same list twice. */
  private final java.util.Map<String, List<Passkey>> listed = new java.util.HashMap<>();

  public PasskeyStore(KeycloakSession session, RealmModel realm) {
    this.session = session;
    this.realm = realm;
  }

  /** The user's passkeys (both WebAuthn credential types), oldest first. */
  public List<Passkey> list(UserModel user) {
    return listed.computeIfAbsent(user.getId(),
        id -> credentials(user).map(c -> toPasskey(user, c)).flatMap(Optional::stream).toList());
  }

  public Optional<Passkey> find(UserModel user, String passkeyId) {
    if (passkeyId == null) {
      return Optional.empty();
    }
    return list(user).stream().filter(p -> p.id().equals(passkeyId)).findFirst();
  }

  /** The user a WebAuthn user handle names: Keycloak's user id as UTF-8, as its built-in uses it. */
  public Optional<UserModel> userByHandle(byte[] userHandle) {
    String id = new String(userHandle, StandardCharsets.UTF_8);
    return Optional.ofNullable(session.users().getUserById(realm, id));
  }

  public static byte[] userHandle(UserModel user) {
    return user.getId().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code user.name} = username, {@code user.displayName} = full name, else e-mail, else username. */
  public static UserIdentity identity(UserModel user) {
    String full = String.join(" ", Optional.ofNullable(user.getFirstName()).orElse(""),
        Optional.ofNullable(user.getLastName()).orElse("")).trim();
    String display = !full.isEmpty() ? full : user.getEmail() != null ? user.getEmail() : user.getUsername();
    return new UserIdentity(PasskeyStore.userHandle(user), user.getUsername(), display);
  }

  @Override
  public boolean credentialIdExists(byte[] credentialId) {
    return session.users().searchForUserByUserAttributeStream(realm, CREDENTIAL_INDEX, indexValue(credentialId))
        .findAny().isPresent();
  }

  @Override
  public List<StoredPasskey> findByUserHandle(byte[] userHandle) {
    return userByHandle(userHandle).map(u -> list(u).stream().map(Passkey::stored).toList()).orElse(List.of());
  }

  /**
   * WebAuthn L3 §7.1 step 26 across the cluster: claims a verified credential id in Keycloak's
   * single-use store before saving, so two nodes saving the same id at once cannot both succeed
   * (the index lookup in {@link #credentialIdExists} alone would race). False: someone has it.
   */
  public boolean claimCredentialId(byte[] credentialId) {
    String claim = "passkeys.credential." + realm.getId() + "." + indexValue(credentialId);
    return session.getProvider(SingleUseObjectProvider.class).putIfAbsent(claim, 300);
  }

  /** Saves a verified registration; returns the new passkey. */
  public Passkey add(UserModel user, StoredPasskey stored, String name, String source) {
    listed.remove(user.getId());
    WebAuthnCredentialModel model = WebAuthnCredentialModel.create(PasskeyConstants.CREDENTIAL_TYPE, name,
        stored.aaguid().map(UUID::toString).orElse(new UUID(0, 0).toString()),
        Base64.getEncoder().encodeToString(stored.credentialId()),
        new AttestationStatementConverter(CONVERTER).convertToDatabaseColumn(new NoneAttestationStatement()),
        Base64.getUrlEncoder().withoutPadding().encodeToString(stored.cosePublicKey()),
        stored.signCount(), "none", stored.transports());
    model.setCreatedDate(System.currentTimeMillis());
    CredentialModel created = user.credentialManager().createStoredCredential(model);
    PasskeyMetadata metadata = new PasskeyMetadata(PasskeyMetadata.CURRENT_VERSION, stored.backupEligible().orElse(false),
        stored.backupState(), stored.uvInitialized(), 0, source);
    writeMetadata(user, created.getId(), metadata);
    PasskeyMetrics.registration(realm.getName(), source);
    List<String> index = Stream.concat(user.getAttributeStream(CREDENTIAL_INDEX),
        Stream.of(indexValue(stored.credentialId()))).distinct().toList();
    user.setAttribute(CREDENTIAL_INDEX, index);
    return toPasskey(user, created).orElseThrow();
  }

  /**
   * Records an accepted assertion when {@link SignInRecord#isDue} says so: the presented counter
   * (never lower than what is stored), BS and last use. WebAuthn L3 §7.2 step 23 leaves the update to us; under concurrency (two nodes
   * verifying two assertions of one passkey at once) a plain read-modify-write loses updates, so
   * this runs in its own short transaction that re-reads the stored counter, writes the maximum,
   * and retries on a version conflict. A verified sign-in never fails because of this bookkeeping.
   */
  public void recordSignIn(UserModel user, Passkey passkey, long newSignCount, boolean backupState) {
    long now = System.currentTimeMillis();
    switch (SignInRecord.needed(passkey, newSignCount, backupState, now)) {
      case NOTHING -> { }
      case LAST_USE -> recordLastUse(user, passkey, now);
      case COUNTER_OR_FLAGS -> recordCounterAndFlags(user, passkey, newSignCount, backupState);
    }
  }

  /**
   * Last use alone, in this request's transaction, on the database's copy of the user: no cache
   * eviction, so the user stays cached for the token request that follows and for the next
   * sign-in. Cached copies keep an older last use; {@link #listWithUsage} reads the database.
   * Concurrent sign-ins of one passkey both write "now": whichever commits last wins, harmlessly.
   */
  private void recordLastUse(UserModel user, Passkey passkey, long now) {
    UserModel stored = database().getUserById(realm, user.getId());
    if (stored == null) {
      return;
    }
    PasskeyMetadata current = readMetadata(stored, passkey.id());
    if (SignInRecord.lastUseDue(current, now)) {
      writeMetadata(stored, passkey.id(), current.usedAt(now, current.backupState(), current.backupEligibleFlag().orElse(false)));
    }
  }

  private void recordCounterAndFlags(UserModel user, Passkey passkey, long newSignCount, boolean backupState) {
    listed.remove(user.getId());
    for (int attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
      try {
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(),
            s -> new PasskeyStore(s, s.realms().getRealm(realm.getId()))
                .recordInThisTransaction(user.getId(), passkey, newSignCount, backupState));
        forgetCachedUser(session, realm, user);
        return;
      } catch (RuntimeException conflict) {
        LOG.debugf("Recording a sign-in of passkey %s conflicted (attempt %d): %s", passkey.id(), attempt,
            conflict.getClass().getSimpleName());
      }
    }
    LOG.warnf("Could not record the sign-in of passkey %s of user %s after %d attempts", passkey.id(), user.getId(),
        RECORD_ATTEMPTS);
  }

  private void recordInThisTransaction(String userId, Passkey passkey, long newSignCount, boolean backupState) {
    // Read the database, not the user cache: deciding on a cached (stale) counter would let a
    // lower counter overwrite a higher one that another node has just committed.
    UserModel user = database().getUserById(realm, userId);
    CredentialModel model = user == null ? null : user.credentialManager().getStoredCredentialById(passkey.id());
    if (model == null) {
      return; // deleted meanwhile
    }
    WebAuthnCredentialModel webauthn = WebAuthnCredentialModel.createFromCredentialModel(model);
    if (newSignCount > webauthn.getWebAuthnCredentialData().getCounter()) {
      webauthn.updateCounter(newSignCount);
      user.credentialManager().updateStoredCredential(webauthn);
    }
    PasskeyMetadata current = readMetadata(user, passkey.id());
    boolean be = current.backupEligibleFlag().orElse(backupState);
    writeMetadata(user, passkey.id(), current.usedAt(System.currentTimeMillis(), backupState, be));
    forgetCachedUser(session, realm, user); // on every node: the next read sees what was just written
  }

  /**
   * Drops the user from Keycloak's user cache (cluster-wide). Needed after a change made in a
   * separate transaction, which the request's own session would otherwise not see.
   */
  public static void forgetCachedUser(KeycloakSession session, RealmModel realm, UserModel user) {
    // UserCache lives in keycloak-model-storage, whose 26.7.3 POM is not on Maven Central, so we
    // cannot compile against it; it is on Keycloak's class path at run time.
    try {
      Class<? extends org.keycloak.provider.Provider> type =
          Class.forName(USER_CACHE).asSubclass(org.keycloak.provider.Provider.class);
      Object cache = session.getProvider(type);
      if (cache != null) {
        type.getMethod("evict", RealmModel.class, UserModel.class).invoke(cache, realm, user);
      }
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      LOG.debugf("No user cache to evict from: %s", e.toString());
    }
  }

  public void rename(UserModel user, Passkey passkey, String name) {
    listed.remove(user.getId());
    user.credentialManager().updateCredentialLabel(passkey.id(), name);
  }

  public void remove(UserModel user, Passkey passkey) {
    listed.remove(user.getId());
    user.credentialManager().removeStoredCredentialById(passkey.id());
    user.removeAttribute(META_PREFIX + passkey.id());
    String hash = indexValue(passkey.stored().credentialId());
    user.setAttribute(CREDENTIAL_INDEX, user.getAttributeStream(CREDENTIAL_INDEX).filter(v -> !v.equals(hash)).toList());
  }

  /**
   * The user's passkeys with their last use as the database has it, for what shows it (passkeys
   * page, APIs): sign-ins record last use without refreshing the user cache.
   */
  public List<Passkey> listWithUsage(UserModel user) {
    UserModel stored = Optional.ofNullable(database().getUserById(realm, user.getId())).orElse(user);
    return credentials(user).map(c -> toPasskey(stored, c)).flatMap(Optional::stream).toList();
  }

  public Optional<Passkey> findWithUsage(UserModel user, String passkeyId) {
    return listWithUsage(user).stream().filter(p -> p.id().equals(passkeyId)).findFirst();
  }

  /** Keycloak's JPA user store itself, under its cache (the cache when there is no JPA store). */
  private UserProvider database() {
    return Optional.ofNullable(session.getProvider(UserProvider.class, "jpa")).orElse(session.users());
  }

  /** Whether the user can still sign in some other way than with this passkey. */
  public boolean hasOtherSignInMethod(UserModel user, Passkey passkey) {
    boolean otherPasskey = list(user).stream()
        .anyMatch(p -> !p.id().equals(passkey.id()) && p.type().equals(PasskeyConstants.CREDENTIAL_TYPE));
    boolean password = user.credentialManager().getStoredCredentialsByTypeStream("password").findAny().isPresent();
    return otherPasskey || password || user.getFederationLink() != null
        || session.users().getFederatedIdentitiesStream(realm, user).findAny().isPresent();
  }

  private Stream<CredentialModel> credentials(UserModel user) {
    return user.credentialManager().getStoredCredentialsStream().filter(c -> TYPES.contains(c.getType()));
  }

  private Optional<Passkey> toPasskey(UserModel user, CredentialModel model) {
    try {
      WebAuthnCredentialData data = WebAuthnCredentialModel.createFromCredentialModel(model).getWebAuthnCredentialData();
      byte[] credentialId = Base64.getMimeDecoder().decode(data.getCredentialId());
      byte[] cose = decodeBase64Url(data.getCredentialPublicKey());
      PasskeyMetadata metadata = readMetadata(user, model.getId());
      StoredPasskey stored = new StoredPasskey(credentialId, userHandle(user), cose, data.getCounter(),
          data.getTransports() == null ? Set.of() : data.getTransports(), parseAaguid(data.getAaguid()),
          metadata.backupEligibleFlag(), metadata.backupState(), metadata.uvInitialized());
      long created = model.getCreatedDate() == null ? 0 : model.getCreatedDate();
      return Optional.of(new Passkey(model.getId(), model.getType(), model.getUserLabel() == null ? "" : model.getUserLabel(),
          created, stored, metadata));
    } catch (RuntimeException unreadable) {
      LOG.warnf("Skipping unreadable WebAuthn credential %s of user %s: %s", model.getId(), user.getId(),
          unreadable.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  private PasskeyMetadata readMetadata(UserModel user, String credentialModelId) {
    String json = user.getFirstAttribute(META_PREFIX + credentialModelId);
    if (json == null) {
      return PasskeyMetadata.unknown();
    }
    try {
      return JSON.readValue(json, PasskeyMetadata.class);
    } catch (IOException garbled) {
      return PasskeyMetadata.unknown();
    }
  }

  private void writeMetadata(UserModel user, String credentialModelId, PasskeyMetadata metadata) {
    try {
      user.setSingleAttribute(META_PREFIX + credentialModelId, JSON.writeValueAsString(metadata));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keycloak writes the key base64url; tolerate padding and standard alphabet in older rows. */
  static byte[] decodeBase64Url(String value) {
    String normalized = value.trim().replace('+', '-').replace('/', '_').replace("=", "");
    return Base64.getUrlDecoder().decode(normalized);
  }

  static Optional<UUID> parseAaguid(String value) {
    try {
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** SHA-256 of the credential ID, base64url: short enough for an indexed attribute value. */
  public static String indexValue(byte[] credentialId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(credentialId);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
