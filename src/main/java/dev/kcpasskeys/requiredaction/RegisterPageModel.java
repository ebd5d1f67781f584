package dev.kcpasskeys.requiredaction;

/** What passkey-register.ftl reads (as {@code passkeyRegister}). */
public final class RegisterPageModel {

  private final String options;
  private final String defaultName;
  private final boolean appInitiated;
  private final boolean providerNames;

  RegisterPageModel(String options, String defaultName, boolean appInitiated, boolean providerNames) {
    this.options = options;
    this.defaultName = defaultName;
    this.appInitiated = appInitiated;
    this.providerNames = providerNames;
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

  public boolean isProviderNames() {
    return providerNames;
  }
}
