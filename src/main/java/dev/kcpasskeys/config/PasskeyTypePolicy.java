package dev.kcpasskeys.config;

import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.RoleUtils;

/**
 * Which passkeys count: any (synced ones included), or only device-bound ones (backup eligibility
 * BE=0: a security key, or a platform authenticator that never copies its keys). The strictest of
 * four places decides: the realm's setting {@code passkey_types}, and the attribute {@value
 * #ATTRIBUTE} = {@value #DEVICE_BOUND} on the app (client), on any of the user's groups (or their
 * parents) or on any of the user's roles (effective: composites and group roles included). Checked
 * when a passkey is registered and when one signs in.
 */
public final class PasskeyTypePolicy {

  /** Realm attribute (the setting), and the client, group and role attribute. */
  public static final String ATTRIBUTE = "passkeys.passkeyTypes";

  public static final String ANY = "any";
  public static final String DEVICE_BOUND = "device_bound";

  private PasskeyTypePolicy() {}

  /** The realm's own setting: {@value #ANY} (default) or {@value #DEVICE_BOUND}. */
  public static String realmSetting(RealmModel realm) {
    return DEVICE_BOUND.equals(realm.getAttribute(ATTRIBUTE)) ? DEVICE_BOUND : ANY;
  }

  static void writeRealmSetting(RealmModel realm, String value) {
    if (ANY.equals(value)) {
      realm.removeAttribute(ATTRIBUTE);
    } else {
      realm.setAttribute(ATTRIBUTE, value);
    }
  }

  /**
   * Where the device-bound requirement for this sign-in or registration comes from ("realm",
   * "client bank-app", "group /admins", "role auditor"), or empty when any passkey counts.
   *
   * @param client the app, when there is one (an API token's or the sign-in's); null otherwise
   * @param user the user, once known; null before
   */
  public static Optional<String> deviceBoundRequiredBy(
      RealmModel realm, ClientModel client, UserModel user) {
    if (DEVICE_BOUND.equals(realmSetting(realm))) {
      return Optional.of("realm");
    }
    if (client != null && DEVICE_BOUND.equals(client.getAttribute(ATTRIBUTE))) {
      return Optional.of("client " + client.getClientId());
    }
    if (user == null) {
      return Optional.empty();
    }
    Optional<String> group =
        user.getGroupsStream()
            .flatMap(PasskeyTypePolicy::withParents)
            .filter(g -> DEVICE_BOUND.equals(g.getFirstAttribute(ATTRIBUTE)))
            .map(g -> "group " + g.getName())
            .findFirst();
    if (group.isPresent()) {
      return group;
    }
    return RoleUtils.getDeepUserRoleMappings(user).stream()
        .filter(r -> DEVICE_BOUND.equals(r.getFirstAttribute(ATTRIBUTE)))
        .map(PasskeyTypePolicy::describe)
        .findFirst();
  }

  private static Stream<GroupModel> withParents(GroupModel group) {
    return Stream.iterate(group, g -> g != null, GroupModel::getParent);
  }

  private static String describe(RoleModel role) {
    return "role " + role.getName();
  }
}
