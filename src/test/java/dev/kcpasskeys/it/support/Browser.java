package dev.kcpasskeys.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Headless Debian Chromium driven by Debian's chromedriver (never Selenium Manager, which cannot
 * download anything here), with helpers for the W3C virtual authenticator.
 */
public final class Browser implements AutoCloseable {

  static final Path CHROMIUM =
      Path.of(System.getProperty("passkeys.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("passkeys.chromedriver", "/usr/bin/chromedriver"));

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static Browser start() {
    return start(java.util.List.of());
  }

  /** A browser with more command-line flags (host-resolver rules, trusted test certificates). */
  public static Browser start(java.util.List<String> extraArguments) {
    requireExecutable(CHROMIUM);
    requireExecutable(CHROMEDRIVER);
    try {
      Path profile = Files.createTempDirectory("passkeys-it-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--window-size=1280,1000",
          "--lang=en-US",
          "--user-data-dir=" + profile);
      options.addArguments(extraArguments);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
      Browser browser = new Browser(driver, profile);
      browser.withoutPasswordManagerUpgrades();
      return browser;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireExecutable(Path path) {
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          path
              + " is missing: install Debian's chromium and chromium-driver (the test command does this as root)");
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /**
   * Forgets every session: all cookies of every host and path (WebDriver's own call sees only the
   * current page's).
   */
  public void signOut() {
    driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
  }

  /** Runs {@code js} in every page before the page's own scripts (to stub browser capabilities). */
  public void beforeEveryPage(String js) {
    driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", js));
  }

  /**
   * Chromium's virtual authenticator answers an autofill (conditional) request at once, as if the
   * user picked the passkey; tests of the button switch autofill off first.
   */
  public void withoutPasskeyAutofill() {
    beforeEveryPage(
        "if (window.PublicKeyCredential) {"
            + " PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false); }");
  }

  /**
   * Chromium reports {@code conditionalCreate}, but with no password manager behind it a
   * conditional create stays pending for good (the virtual authenticator never answers one). So
   * pages see {@code conditionalCreate: false}, like a browser whose password manager cannot
   * upgrade, and no automatic upgrade is tried, unless a test asks for {@link
   * #withPasswordManager}.
   */
  private void withoutPasswordManagerUpgrades() {
    beforeEveryPage(
        "if (window.PublicKeyCredential && PublicKeyCredential.getClientCapabilities) {"
            + " const caps = PublicKeyCredential.getClientCapabilities.bind(PublicKeyCredential);"
            + " PublicKeyCredential.getClientCapabilities = async () => ({ ...(await caps()), conditionalCreate: false }); }");
  }

  /**
   * What the browser's password manager does with a conditional create (an automatic passkey
   * upgrade).
   */
  public enum PasswordManager {
    /** The browser reports no {@code conditionalCreate}; a page that asks anyway is declined. */
    CANNOT_UPGRADE,
    /** It declines (NotAllowedError), as when no saved password for the user was used just now. */
    DECLINES,
    /**
     * The request stays pending (Chromium's own behaviour here, with no password manager behind
     * it).
     */
    KEEPS_PENDING,
    /**
     * It makes the passkey: the request goes to the virtual authenticator, which answers with UP
     * and UV set.
     */
    UPGRADES
  }

  /**
   * Gives the browser a password manager that acts as {@code manager} on conditional creates. Each
   * conditional create is counted in the page origin's localStorage ({@link
   * #conditionalCreates()}).
   */
  public void withPasswordManager(PasswordManager manager) {
    beforeEveryPage(
        "if (window.PublicKeyCredential && PublicKeyCredential.getClientCapabilities) {"
            + " const manager = '"
            + manager
            + "';"
            + " const caps = PublicKeyCredential.getClientCapabilities.bind(PublicKeyCredential);"
            + " PublicKeyCredential.getClientCapabilities = async () =>"
            + "  ({ ...(await caps()), conditionalCreate: manager !== 'CANNOT_UPGRADE' });"
            + " const create = navigator.credentials.create.bind(navigator.credentials);"
            + " navigator.credentials.create = (options) => {"
            + "  if (!options || options.mediation !== 'conditional') return create(options);"
            + "  localStorage.setItem('kcp-conditional-creates',"
            + "   String(Number(localStorage.getItem('kcp-conditional-creates') || 0) + 1));"
            + "  if (manager === 'KEEPS_PENDING') return create(options);"
            + "  if (manager !== 'UPGRADES') return Promise.reject(new DOMException('No password to upgrade', 'NotAllowedError'));"
            + "  const { mediation, ...modal } = options;"
            + "  return create(modal); }; }");
  }

  /**
   * How many conditional creates pages of the current origin made (see {@link
   * #withPasswordManager}).
   */
  public int conditionalCreates() {
    Object count = script("return localStorage.getItem('kcp-conditional-creates');");
    return count == null ? 0 : Integer.parseInt(count.toString());
  }

  public WebElement find(By by) {
    return await(d -> d.findElement(by));
  }

  /** The page title ({@code #kc-page-title}) once it reads {@code expected}; see {@link #text}. */
  public String pageTitle(String expected) {
    return text(By.id("kc-page-title"), expected);
  }

  /**
   * The element's trimmed text once it reads {@code expected}, else (after the usual wait) what it
   * reads then. Right after a click the previous page's element with the same id is still there,
   * and reading it as the browser navigates away fails with a stale element.
   */
  public String text(By by, String expected) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(20))
          .ignoring(StaleElementReferenceException.class)
          .ignoring(NoSuchElementException.class)
          .until(
              d -> {
                String text = d.findElement(by).getText().trim();
                return text.equals(expected) ? text : null;
              });
    } catch (TimeoutException e) {
      return find(by).getText().trim();
    }
  }

  /**
   * Polls until the condition answers; an element gone stale as a page navigates means "not yet".
   */
  public <T> T await(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** Runs async JS: the script calls {@code arguments[arguments.length - 1]} with its result. */
  public Object asyncScript(String js, Object... args) {
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver.executeAsyncScript(js, args);
  }

  public Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** A platform passkey authenticator (CTAP2, internal, resident keys, user verification). */
  public VirtualAuthenticator addPlatformAuthenticator() {
    return driver.addVirtualAuthenticator(
        new VirtualAuthenticatorOptions()
            .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
            .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
            .setHasResidentKey(true)
            .setHasUserVerification(true)
            .setIsUserVerified(true)
            .setIsUserConsenting(true));
  }

  /** A roaming authenticator (a phone or security key): browsers report it as cross-platform. */
  public VirtualAuthenticator addRoamingAuthenticator() {
    return driver.addVirtualAuthenticator(
        new VirtualAuthenticatorOptions()
            .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
            .setTransport(VirtualAuthenticatorOptions.Transport.USB)
            .setHasResidentKey(true)
            .setHasUserVerification(true)
            .setIsUserVerified(true)
            .setIsUserConsenting(true));
  }

  public void removeAuthenticator(VirtualAuthenticator authenticator) {
    driver.removeVirtualAuthenticator(authenticator);
  }

  /** Saves a screenshot and the page source under target/browser-failures/. */
  public void saveEvidence(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
      Files.writeString(dir.resolve(name + ".html"), driver.getPageSource());
    } catch (Exception e) {
      System.err.println("Could not save browser evidence: " + e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> walk = Files.walk(profile)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // temp dir
      }
    }
  }
}
