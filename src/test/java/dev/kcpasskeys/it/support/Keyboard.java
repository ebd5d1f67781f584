package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A person without a mouse: Tab until an element has the focus, then Enter or Space. Each element
 * reached must show that it has the focus: the screen around it must look different with and
 * without the focus (an outline, a ring, a shadow: whatever the theme draws).
 */
public final class Keyboard {

  private static final int MAX_TABS = 40;

  private final Browser browser;

  public Keyboard(Browser browser) {
    this.browser = browser;
  }

  /** Presses Tab until the element {@code target} finds has the focus; checks it shows. */
  public WebElement tabTo(By target) {
    for (int tabs = 0; tabs <= MAX_TABS; tabs++) {
      WebElement active = browser.driver().switchTo().activeElement();
      if (!browser.driver().findElements(target).isEmpty()
          && active.equals(browser.driver().findElement(target))) {
        assertVisibleFocus(active, target.toString());
        return active;
      }
      active.sendKeys(Keys.TAB);
    }
    return fail("not reachable with Tab within " + MAX_TABS + " presses: " + target);
  }

  /** Types into the focused element. */
  public void type(CharSequence... keys) {
    browser.driver().switchTo().activeElement().sendKeys(keys);
  }

  public void enter() {
    type(Keys.ENTER);
  }

  /**
   * The element looks different focused and not focused, in the area around it where a focus ring
   * is drawn.
   */
  public void assertVisibleFocus(WebElement element, String what) {
    @SuppressWarnings("unchecked")
    Map<String, Object> box =
        (Map<String, Object>)
            browser.script(
                "arguments[0].scrollIntoView({block: 'center'});"
                    + " const r = arguments[0].getBoundingClientRect();"
                    + " return {x: r.left, y: r.top, w: r.width, h: r.height,"
                    + " scale: window.devicePixelRatio};",
                element);
    BufferedImage focused = screen();
    browser.script("arguments[0].blur();", element);
    BufferedImage unfocused = screen();
    browser.script("arguments[0].focus();", element);
    double scale = ((Number) box.get("scale")).doubleValue();
    int margin = 6;
    int x0 = (int) Math.max(0, (number(box, "x") - margin) * scale);
    int y0 = (int) Math.max(0, (number(box, "y") - margin) * scale);
    int x1 =
        (int) Math.min(focused.getWidth(), (number(box, "x") + number(box, "w") + margin) * scale);
    int y1 =
        (int) Math.min(focused.getHeight(), (number(box, "y") + number(box, "h") + margin) * scale);
    int changed = 0;
    for (int x = x0; x < x1; x++) {
      for (int y = y0; y < y1; y++) {
        if (focused.getRGB(x, y) != unfocused.getRGB(x, y)) {
          changed++;
        }
      }
    }
    assertTrue(changed > 20, what + " shows no visible focus (" + changed + " pixels change)");
  }

  private static double number(Map<String, Object> box, String key) {
    return ((Number) box.get(key)).doubleValue();
  }

  private BufferedImage screen() {
    try {
      return ImageIO.read(
          new ByteArrayInputStream(
              ((ChromeDriver) browser.driver()).getScreenshotAs(OutputType.BYTES)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
