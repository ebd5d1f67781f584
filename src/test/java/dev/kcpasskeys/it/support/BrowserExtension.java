package dev.kcpasskeys.it.support;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh browser (fresh profile) per test; a screenshot and page source when the test fails. */
public final class BrowserExtension implements BeforeEachCallback, AfterEachCallback {

  private Browser browser;

  public Browser browser() {
    return browser;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    browser = Browser.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (browser == null) {
      return;
    }
    try {
      if (context.getExecutionException().isPresent()) {
        Path dir = KeycloakServer.requiredPath("passkeys.target").resolve("browser-failures");
        String name =
            context.getRequiredTestClass().getSimpleName()
                + "-"
                + context.getRequiredTestMethod().getName();
        browser.saveEvidence(dir, name);
        System.err.println(
            "Browser evidence saved to "
                + dir.resolve(name)
                + ".png/.html (URL: "
                + browser.driver().getCurrentUrl()
                + ")");
      }
    } finally {
      browser.close();
      browser = null;
    }
  }
}
