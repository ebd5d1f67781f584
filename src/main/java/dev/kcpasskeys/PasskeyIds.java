package dev.kcpasskeys;

/**
 * Provider ids, form fields and event detail keys: stable, because docs, realm exports and scripts
 * use them.
 */
public final class PasskeyIds {

  /** Authenticator: discoverable passkey sign-in with autofill and password fallback. */
  public static final String AUTHENTICATOR_ID = "passkey-login";

  /**
   * Conditional authenticator: matches when the user did not sign in with a passkey in this flow.
   */
  public static final String PASSWORD_SIGN_IN_CONDITION_ID = "passkey-condition-password-sign-in";

  /**
   * Form action of passkey-first sign-up: registers the passkey right after the user is created.
   */
  public static final String SIGN_UP_FORM_ACTION_ID = "passkey-sign-up";

  /** OIDC protocol mapper: the amr claim with passkey sign-ins. */
  public static final String AMR_MAPPER_ID = "oidc-passkeys-amr-mapper";

  /** Required action: register a passkey (also {@code kc_action=passkey-register}). */
  public static final String REQUIRED_ACTION_ID = "passkey-register";

  /**
   * Realm resource ({@code /realms/{realm}/passkeys}) and admin resource ({@code
   * /admin/realms/{realm}/passkeys}).
   */
  public static final String RESOURCE_ID = "passkeys";

  /**
   * The credential type our passkeys are stored as: Keycloak's own, so its consoles and built-in
   * login see them.
   */
  public static final String CREDENTIAL_TYPE = "webauthn-passwordless";

  /**
   * Keycloak's two-factor WebAuthn type: a second step after the password (see SignInCredentials).
   */
  public static final String CREDENTIAL_TYPE_TWO_FACTOR = "webauthn";

  /**
   * The public client the passkeys page signs users in with ({@code /realms/{realm}/passkeys/}).
   */
  public static final String PAGE_CLIENT_ID = "passkeys-page";

  /** User-session note: the id of the passkey this session signed in with. */
  public static final String SIGNED_IN_WITH_NOTE = "passkeys.signedInWith";

  /**
   * User session note: when (epoch seconds) this session last proved a passkey. Adding and deleting
   * passkeys needs a recent one from users who have a passkey.
   */
  public static final String PASSKEY_AUTH_TIME_NOTE = "passkeys.passkeyAuthTime";

  /** Auth-session note: the registration page runs as the optional "create a passkey?" nudge. */
  public static final String NUDGE_NOTE = "passkeys.nudge";

  /**
   * Auth-session note: after this password sign-in the registration step first tries an automatic
   * passkey upgrade (a conditional create, no dialog); removed once that attempt is over.
   */
  public static final String UPGRADE_NOTE = "passkeys.upgrade";

  /**
   * Login form field: the sign-in page's script says the browser reports {@code conditionalCreate}.
   * Only a hint that an upgrade attempt is worth a page; the attempt itself checks again and
   * nothing trusts it.
   */
  public static final String UPGRADE_CAPABLE_FIELD = "passkey_upgrade_capable";

  /** Auth-session note: the nudge follows a sign-in with a passkey from another device. */
  public static final String CROSS_DEVICE_NOTE = "passkeys.cross-device";

  /**
   * Auth-session note: the user came through account recovery (reset credentials), and whether a
   * passkey was offered.
   */
  public static final String RECOVERY_NOTE = "passkeys.recovery";

  private PasskeyIds() {}
}
