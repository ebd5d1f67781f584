package dev.kcpasskeys.it.pages;

import dev.kcpasskeys.it.support.Browser;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * What a person does on the passkeys page (/realms/{realm}/passkeys/), in the words of the tests.
 */
public final class PasskeysManagePage {

  private final Browser browser;

  public PasskeysManagePage(Browser browser) {
    this.browser = browser;
  }

  /** Waits until the page (and its script) is there. */
  public PasskeysManagePage await() {
    browser.await(
        d -> {
          try {
            return "passkeys-manage"
                    .equals(d.findElement(By.tagName("body")).getAttribute("data-page-id"))
                && Boolean.TRUE.equals(browser.script("return document.readyState === 'complete'"));
          } catch (StaleElementReferenceException reloading) {
            return false;
          }
        });
    return this;
  }

  public List<WebElement> passkeys() {
    return browser.driver().findElements(By.cssSelector("li.kcp-passkey"));
  }

  /** The listed names; read again should the page redraw its list while they are read. */
  public List<String> names() {
    return browser.await(
        d ->
            passkeys().stream()
                .map(p -> p.findElement(By.cssSelector(".kcp-passkey-name")).getText())
                .toList());
  }

  public WebElement passkey(String name) {
    return browser.await(
        d -> {
          try {
            return passkeys().stream()
                .filter(
                    p -> p.findElement(By.cssSelector(".kcp-passkey-name")).getText().equals(name))
                .findFirst()
                .orElse(null);
          } catch (StaleElementReferenceException reloading) {
            return null;
          }
        });
  }

  public void add() {
    browser.find(By.id("passkeys-add")).click();
  }

  public void startRename(String name) {
    passkey(name).findElement(By.cssSelector(".kcp-rename")).click();
  }

  public void rename(String from, String to) {
    WebElement item = passkey(from);
    item.findElement(By.cssSelector(".kcp-rename")).click();
    WebElement input = item.findElement(By.cssSelector(".kcp-rename-input"));
    input.clear();
    input.sendKeys(to);
    item.findElement(By.cssSelector(".kcp-rename-save")).click();
  }

  public void delete(String name) {
    passkey(name).findElement(By.cssSelector(".kcp-delete")).click();
    browser.await(d -> d.findElement(By.id("passkeys-delete-dialog")).isDisplayed());
    browser.find(By.id("passkeys-delete-confirm")).click();
  }

  public String fieldError(String name) {
    return browser.await(
        d -> {
          String text = passkey(name).findElement(By.cssSelector(".kcp-field-error")).getText();
          return text.isBlank() ? null : text;
        });
  }

  /** The page's live region once it says something other than the "working" notice. */
  public String status(String containing) {
    return browser.await(
        d -> {
          try {
            String text = d.findElement(By.id("passkeys-status")).getText();
            return text.contains(containing) ? text : null;
          } catch (StaleElementReferenceException | NoSuchElementException reloading) {
            return null;
          }
        });
  }

  public String config(String attribute) {
    return browser.find(By.id("passkeys-config")).getAttribute("data-" + attribute);
  }

  public boolean emptyStateShown() {
    return browser.find(By.id("passkeys-empty")).isDisplayed();
  }
}
