package com.shopcrm.campaign.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

  private final QuietHours quiet = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0), ZoneId.of("Asia/Shanghai"));

  @Test
  void daytimeSendsAtOnce() {
    Instant tenAm = Instant.parse("2031-03-03T02:00:00Z"); // 10:00 in Shanghai
    assertEquals(tenAm, quiet.sendTime(tenAm));
    assertEquals(Instant.parse("2031-03-03T13:59:59Z"), quiet.sendTime(Instant.parse("2031-03-03T13:59:59Z")));
  }

  @Test
  void lateEveningMovesToNextMorningAndEarlyMorningToSameMorning() {
    // 23:00 Shanghai on the 3rd -> 08:00 on the 4th (00:00Z)
    assertEquals(Instant.parse("2031-03-04T00:00:00Z"), quiet.sendTime(Instant.parse("2031-03-03T15:00:00Z")));
    // 22:00 sharp is quiet
    assertEquals(Instant.parse("2031-03-04T00:00:00Z"), quiet.sendTime(Instant.parse("2031-03-03T14:00:00Z")));
    // 03:00 Shanghai on the 4th -> 08:00 the same day
    assertEquals(Instant.parse("2031-03-04T00:00:00Z"), quiet.sendTime(Instant.parse("2031-03-03T19:00:00Z")));
  }
}
