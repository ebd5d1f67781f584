package dev.kcpasskeys.signin;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyLookup;
import dev.kcpasskeys.ceremony.StoredPasskey;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.credential.PasskeyStore;
import java.util.List;
import java.util.Optional;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The credentials that may sign a user in on the passkey page: passkeys ({@code
 * webauthn-passwordless}), and Keycloak two-factor security keys ({@code webauthn}) only where the
 * realm allows it. A two-factor key was registered as a second step after the password, often
 * without user verification, so by default it never signs anyone in on its own; it keeps working as
 * the second step after a password (Keycloak's own WebAuthn authenticator in the flow).
 */
public final class SignInCredentials implements PasskeyLookup {

  private final PasskeyStore store;
  private final boolean twoFactorKeys;

  public SignInCredentials(PasskeyStore store, RealmModel realm) {
    this.store = store;
    this.twoFactorKeys = PasskeySettings.twoFactorKeysSignIn(realm);
  }

  public List<Passkey> of(UserModel user) {
    return store.list(user).stream().filter(this::mayBeUsed).toList();
  }

  public Optional<Passkey> find(UserModel user, byte[] credentialId) {
    return store.findByCredentialId(user, credentialId).filter(this::mayBeUsed);
  }

  @Override
  public Optional<StoredPasskey> findCredential(byte[] userHandle, byte[] credentialId) {
    return store
        .userByHandle(userHandle)
        .flatMap(user -> find(user, credentialId))
        .map(Passkey::stored);
  }

  @Override
  public boolean credentialIdExists(byte[] credentialId) {
    return store.credentialIdExists(credentialId);
  }

  /**
   * Whether no user of the realm has this credential, two-factor keys included: only then may the
   * page tell the browser to forget it (a security key that is someone's second factor must stay).
   * Asked of the user the response names and of the extension's index, not of a scan of every
   * credential: anyone can make the page ask, and the hint only reaches the browser that presented
   * the credential.
   */
  public boolean nobodyHas(byte[] userHandle, byte[] credentialId) {
    boolean owned =
        userHandle != null && store.findCredential(userHandle, credentialId).isPresent();
    return !owned && !store.credentialIdIndexed(credentialId);
  }

  private boolean mayBeUsed(Passkey passkey) {
    return twoFactorKeys || PasskeyIds.CREDENTIAL_TYPE.equals(passkey.type());
  }
}
