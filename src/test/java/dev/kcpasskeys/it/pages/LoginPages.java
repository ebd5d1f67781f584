package dev.kcpasskeys.it.pages;

import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.Oidc;
import org.openqa.selenium.By;

/** What a person does on the hosted login pages, in the words of the tests. */
public final class LoginPages {

  private final Browser browser;

  public LoginPages(Browser browser) {
    this.browser = browser;
  }

  public void signInWithPassword(String username, String password) {
    var user = browser.find(By.id("username"));
    user.clear();
    user.sendKeys(username);
    var secret = browser.find(By.id("password"));
    secret.clear();
    secret.sendKeys(password);
    browser.find(By.id("kc-login")).click();
  }

  /**
   * Signs out and in again at {@code url} with the browser's passkey: a session that used a
   * passkey, which adding and deleting passkeys need from users who have one.
   */
  public void signInAgainWithPasskey(String url) {
    browser.signOut();
    browser.withoutPasskeyAutofill();
    browser.open(url);
    clickSignInWithPasskey();
  }

  public void clickSignInWithPasskey() {
    clickableButtonText();
    browser.find(By.id("passkey-sign-in")).click();
  }

  /** Waits until the page's script showed the passkey button (it stays hidden without WebAuthn). */
  public String clickableButtonText() {
    return browser.await(
        d -> {
          var button = d.findElement(By.id("passkey-sign-in"));
          return button.isDisplayed() ? button.getText() : null;
        });
  }

  public String passkeyNameField() {
    return browser.find(By.id("passkey-name")).getAttribute("value");
  }

  public void createPasskey(String name) {
    var field = browser.find(By.id("passkey-name"));
    if (name != null) {
      field.clear();
      field.sendKeys(name);
    }
    browser.find(By.id("passkey-create")).click();
  }

  /** Waits until the browser was sent back to the test client with a code; returns that URL. */
  public String awaitRedirectWithCode() {
    return browser.await(d -> Oidc.codeOf(d.getCurrentUrl()) != null ? d.getCurrentUrl() : null);
  }

  /** The text of the page's live region or Keycloak's alert, whichever shows. */
  public String message() {
    return browser.await(
        d -> {
          for (By by :
              new By[] {
                By.id("passkey-status"),
                By.cssSelector(".pf-v5-c-alert__title"),
                By.id("input-error")
              }) {
            var found = d.findElements(by);
            if (!found.isEmpty() && !found.get(0).getText().isBlank()) {
              return found.get(0).getText().trim();
            }
          }
          return null;
        });
  }
}
