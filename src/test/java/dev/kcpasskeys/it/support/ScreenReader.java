package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a screen reader gets: the browser's accessibility tree (Chrome DevTools' Accessibility
 * domain), not the DOM. A status change is announced when its text sits in a live region (polite or
 * assertive).
 */
public final class ScreenReader {

  private final Browser browser;

  public ScreenReader(Browser browser) {
    this.browser = browser;
  }

  /**
   * Waits until a node of the accessibility tree names {@code text} and sits in a live region;
   * returns that region's politeness.
   */
  public String assertAnnounced(String text) {
    try {
      return browser.await(d -> liveRegionAround(text));
    } catch (org.openqa.selenium.TimeoutException e) {
      return fail("not in a live region of the accessibility tree: " + text);
    }
  }

  @SuppressWarnings("unchecked")
  private String liveRegionAround(String text) {
    ChromeDriver driver = (ChromeDriver) browser.driver();
    driver.executeCdpCommand("Accessibility.enable", Map.of());
    List<Map<String, Object>> nodes =
        (List<Map<String, Object>>)
            driver.executeCdpCommand("Accessibility.getFullAXTree", Map.of()).get("nodes");
    Map<String, Map<String, Object>> byId = new HashMap<>();
    for (Map<String, Object> node : nodes) {
      byId.put((String) node.get("nodeId"), node);
    }
    for (Map<String, Object> node : nodes) {
      if (!valueOf(node.get("name")).contains(text)) {
        continue;
      }
      for (Map<String, Object> at = node; at != null; at = byId.get((String) at.get("parentId"))) {
        for (Map<String, Object> property :
            (List<Map<String, Object>>) at.getOrDefault("properties", List.of())) {
          if ("live".equals(property.get("name"))) {
            String politeness = valueOf(property.get("value"));
            if (politeness.equals("polite") || politeness.equals("assertive")) {
              return politeness;
            }
          }
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static String valueOf(Object axValue) {
    if (!(axValue instanceof Map)) {
      return "";
    }
    Object value = ((Map<String, Object>) axValue).get("value");
    return value == null ? "" : value.toString();
  }
}
