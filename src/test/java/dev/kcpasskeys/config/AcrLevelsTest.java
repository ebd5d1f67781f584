package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Levels for phr and phrh that never take one an admin's own acr value already uses. */
class AcrLevelsTest {

  @Test
  void aFreeLevelIsTheOnePreferred() {
    assertEquals(2, AcrLevels.freeLevel(Map.of("silver", 1), 2));
  }

  @Test
  void aLevelInUseMovesAboveEveryLevelInUse() {
    assertEquals(6, AcrLevels.freeLevel(Map.of("gold", 2, "platinum", 5), 2));
  }
}
