package com.shopcrm.launcher.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void halfDoneFillsHalfTheBar() {
    ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), "Uploading", ProgressBar.Display.LIVE);

    String line = bar.line(500, 1000, "x");

    assertTrue(line.startsWith("Uploading [" + "=".repeat(12) + ">" + " ".repeat(12) + "]  50%  x  0:0"), line);
  }

  @Test
  void unknownTotalShowsAQuestionMark() {
    ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), "Importing", ProgressBar.Display.LIVE);

    assertTrue(bar.line(5, 0, "queued").startsWith("Importing [" + " ".repeat(25) + "]    ?  queued"));
  }

  @Test
  void liveBarRedrawsInPlaceAndBlanksWhatALongerLineLeft() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "Importing", ProgressBar.Display.LIVE);

    bar.update(1, 10, "a long detail text");
    bar.finish(10, 10, "short");

    String[] draws = text.toString().split("\r", -1);
    assertEquals(3, draws.length, text.toString());
    assertEquals(draws[1].length(), draws[2].length() - System.lineSeparator().length(),
        "the final draw is padded to cover the longer first one");
    assertTrue(draws[2].contains("100%  short"), draws[2]);
    assertTrue(draws[2].endsWith(System.lineSeparator()), "the finished bar keeps its line");
  }

  @Test
  void fileOutputGetsOnlyTheFinalLine() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "Uploading", ProgressBar.Display.FINAL_ONLY);

    bar.update(1, 10, "");
    bar.finish(10, 10, "");

    assertTrue(text.toString().matches("Uploading \\[={25}\\] 100%  0:0\\d" + System.lineSeparator()), text.toString());
  }

  @Test
  void aLongDetailIsCutSoTheLineFitsATerminalAndKeepsItsTime() {
    ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), "Uploading", ProgressBar.Display.LIVE);

    String line = bar.line(1, 2, "x".repeat(200));

    assertEquals(79, line.length(), line);
    assertTrue(line.matches(".*x  0:0\\d"), line);
  }

  @Test
  void bytesAreHumanSized() {
    assertEquals("999 B", ProgressBar.bytes(999));
    assertEquals("1.5 KB", ProgressBar.bytes(1536));
    assertEquals("26.7 MB", ProgressBar.bytes(28_000_000));
  }
}
