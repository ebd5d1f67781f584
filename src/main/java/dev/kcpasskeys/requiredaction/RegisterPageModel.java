package dev.kcpasskeys.requiredaction;

/** What passkey-register.ftl reads (as {@code passkeyRegister}). */
public final class RegisterPageModel {

  private final String options;
  private final String defaultName;
  private final boolean appInitiated;
  private final boolean nudge;
  private final boolean canDefer;
  private final boolean crossDevice;
  private final boolean recovery;
  private final boolean signUp;
  private final String upgradeOptions;

  RegisterPageModel(
      String options,
      String defaultName,
      boolean appInitiated,
      boolean nudge,
      boolean canDefer,
      boolean crossDevice,
      boolean recovery,
      boolean signUp,
      String upgradeOptions) {
    this.crossDevice = crossDevice;
    this.recovery = recovery;
    this.signUp = signUp;
    this.upgradeOptions = upgradeOptions;
    this.options = options;
    this.defaultName = defaultName;
    this.appInitiated = appInitiated;
    this.nudge = nudge;
    this.canDefer = canDefer;
  }

  /** Shown as "Sign in faster next time" after a password sign-in, not as a requirement. */
  public boolean isNudge() {
    return nudge;
  }

  /** The user just signed in with a passkey from another device (phone, security key). */
  public boolean isCrossDevice() {
    return crossDevice;
  }

  /** The user has just recovered their account (a new password after "forgot password"). */
  public boolean isRecovery() {
    return recovery;
  }

  /**
   * The last step of a passkey-first sign-up: this passkey will be the account's only way to sign
   * in.
   */
  public boolean isSignUp() {
    return signUp;
  }

  /** The nudge offers Not now / Don't ask again (unless the realm forces it after N snoozes). */
  public boolean isCanDefer() {
    return canDefer;
  }

  /**
   * The page first tries an automatic passkey upgrade (conditional create, no dialog) and shows the
   * nudge, if any, only when that makes no passkey.
   */
  public boolean isUpgrade() {
    return !upgradeOptions.isEmpty();
  }

  /**
   * Creation options for the upgrade's conditional request (a challenge of its own), base64; or "".
   */
  public String getUpgradeOptions() {
    return upgradeOptions;
  }

  /** Creation options JSON, base64: safe in any HTML or JS context. */
  public String getOptions() {
    return options;
  }

  /** Shown in the name field; escaped by the template engine like every other value. */
  public String getDefaultName() {
    return defaultName;
  }

  /** An app asked for this (kc_action): the page offers Cancel, which returns to the app. */
  public boolean isAppInitiated() {
    return appInitiated;
  }
}
