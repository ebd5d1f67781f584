package dev.kcpasskeys.ceremony;

import java.util.Arrays;
import java.util.Objects;

/**
 * The account a passkey is created for.
 *
 * @param userHandle the WebAuthn user handle (user.id): 1 to 64 opaque bytes, no personal data
 * @param name the account name shown in the passkey picker (e.g. username or e-mail)
 * @param displayName the human-palatable name
 */
public record UserIdentity(byte[] userHandle, String name, String displayName) {

  public static final int MAX_USER_HANDLE_LENGTH = 64;

  public UserIdentity {
    Objects.requireNonNull(userHandle, "userHandle");
    if (userHandle.length == 0 || userHandle.length > MAX_USER_HANDLE_LENGTH) {
      throw new IllegalArgumentException(
          "userHandle must be 1 to 64 bytes, was " + userHandle.length);
    }
    userHandle = userHandle.clone();
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(displayName, "displayName");
  }

  @Override
  public byte[] userHandle() {
    return userHandle.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UserIdentity that
        && Arrays.equals(userHandle, that.userHandle)
        && name.equals(that.name)
        && displayName.equals(that.displayName);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(name, displayName) + Arrays.hashCode(userHandle);
  }

  @Override
  public String toString() {
    return "UserIdentity[userHandle=" + Base64Url.encode(userHandle) + ", name=" + name + "]";
  }
}
