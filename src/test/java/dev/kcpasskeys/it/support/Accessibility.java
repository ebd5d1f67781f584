package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * axe-core on the page the browser shows, in the light and in the dark colour scheme: WCAG 2.x A/AA
 * and 2.2 AA, no violation allowed. Each audited state leaves a screenshot per scheme in {@code
 * target/page-audit/} and a line in its {@code index.txt}, so a reviewer can see every state that
 * was checked.
 */
public final class Accessibility {

  public static final List<String> WCAG =
      List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

  static final Path OUT = Path.of("target/page-audit");

  private static final String DARK_CLASS = "pf-v5-theme-dark";

  private Accessibility() {}

  /** Fails with every violation (scheme, rule, count, help, first elements) on {@code state}. */
  public static void assertNoViolations(Browser browser, String state) {
    audit(browser, state, null);
  }

  /** As {@link #assertNoViolations}, on the part of the page {@code selector} matches only. */
  public static void assertNoViolationsWithin(Browser browser, String state, String selector) {
    audit(browser, state, selector);
  }

  /**
   * An e-mail as a mail client shows it: its HTML opened in the browser. An e-mail's title is its
   * subject, which the mail client shows: axe's page-title rule does not apply.
   */
  public static void assertEmailHasNoViolations(Browser browser, String state, String html) {
    try {
      Files.createDirectories(OUT);
      Path file = OUT.resolve(state.replaceAll("[^A-Za-z0-9]+", "-") + ".html").toAbsolutePath();
      Files.writeString(file, html, StandardCharsets.UTF_8);
      browser.open(file.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    audit(browser, state, null, List.of("document-title"));
  }

  private static void audit(Browser browser, String state, String selector) {
    audit(browser, state, selector, List.of());
  }

  private static void audit(
      Browser browser, String state, String selector, List<String> notApplicable) {
    List<String> problems = new ArrayList<>();
    try {
      for (String scheme : List.of("light", "dark")) {
        showScheme(browser, scheme);
        AxeBuilder axe = new AxeBuilder().withTags(WCAG);
        if (!notApplicable.isEmpty()) {
          axe.disableRules(notApplicable);
        }
        if (selector != null) {
          axe.include(selector);
        }
        for (Rule v : axe.analyze(browser.driver()).getViolations()) {
          problems.add(
              scheme
                  + ": "
                  + v.getId()
                  + " ("
                  + v.getNodes().size()
                  + "): "
                  + v.getHelp()
                  + " "
                  + v.getNodes().stream()
                      .map(n -> n.getHtml())
                      .limit(2)
                      .collect(Collectors.joining(" | ")));
        }
        record(browser, state, scheme);
      }
    } finally {
      showScheme(browser, "light");
    }
    assertTrue(problems.isEmpty(), state + ":\n" + String.join("\n", problems));
  }

  /**
   * Emulates {@code prefers-color-scheme} and, on a page that offers a dark scheme (its {@code
   * color-scheme} meta names one), waits until the theme has switched.
   */
  private static void showScheme(Browser browser, String scheme) {
    ((ChromeDriver) browser.driver())
        .executeCdpCommand(
            "Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    boolean offersDark =
        Boolean.TRUE.equals(
            browser.script(
                "const m = document.querySelector('meta[name=color-scheme]');"
                    + " return !!m && m.content.split(' ').includes('dark');"));
    if (offersDark) {
      boolean dark = scheme.equals("dark");
      browser.await(
          d ->
              Boolean.valueOf(dark)
                      .equals(
                          browser.script(
                              "return document.documentElement.classList.contains(arguments[0]);",
                              DARK_CLASS))
                  ? Boolean.TRUE
                  : null);
    }
  }

  private static void record(Browser browser, String state, String scheme) {
    try {
      Files.createDirectories(OUT);
      String file = state.replaceAll("[^A-Za-z0-9]+", "-") + "-" + scheme + ".png";
      Files.write(
          OUT.resolve(file), ((ChromeDriver) browser.driver()).getScreenshotAs(OutputType.BYTES));
      Files.writeString(
          OUT.resolve("index.txt"),
          state + " (" + scheme + "): " + file + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
