package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import java.util.stream.Collectors;

/** axe-core on the page the browser shows: WCAG 2.x A/AA and 2.2 AA, no violation allowed. */
public final class Accessibility {

  public static final List<String> WCAG =
      List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

  private Accessibility() {}

  /** Fails with every violation (rule, count, help and the first two elements) on {@code page}. */
  public static void assertNoViolations(Browser browser, String page) {
    List<Rule> violations =
        new AxeBuilder().withTags(WCAG).analyze(browser.driver()).getViolations();
    assertTrue(
        violations.isEmpty(),
        page
            + ": "
            + violations.stream()
                .map(
                    v ->
                        v.getId()
                            + " ("
                            + v.getNodes().size()
                            + "): "
                            + v.getHelp()
                            + " "
                            + v.getNodes().stream()
                                .map(n -> n.getHtml())
                                .limit(2)
                                .collect(Collectors.joining(" | ")))
                .collect(Collectors.joining("\n")));
  }
}
