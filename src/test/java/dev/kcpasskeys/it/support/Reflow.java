package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * WCAG 1.4.10 reflow: the page reads without horizontal scrolling at 320 CSS pixels wide, and at
 * 200 % zoom of a 1280 pixel window (640 CSS pixels at twice the device pixels).
 */
public final class Reflow {

  private Reflow() {}

  public static void assertReflows(Browser browser, String page) {
    try {
      for (int[] viewport : new int[][] {{320, 800, 1}, {640, 500, 2}}) {
        ((ChromeDriver) browser.driver())
            .executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                    "width", viewport[0],
                    "height", viewport[1],
                    "deviceScaleFactor", viewport[2],
                    "mobile", false));
        Number scrollWidth = (Number) browser.script("return document.documentElement.scrollWidth");
        Number clientWidth = (Number) browser.script("return document.documentElement.clientWidth");
        assertTrue(
            scrollWidth.intValue() <= clientWidth.intValue(),
            page
                + " at "
                + viewport[0]
                + " CSS pixels, scale "
                + viewport[2]
                + ": scrolls sideways ("
                + scrollWidth
                + " > "
                + clientWidth
                + ")");
      }
    } finally {
      ((ChromeDriver) browser.driver())
          .executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }
}
