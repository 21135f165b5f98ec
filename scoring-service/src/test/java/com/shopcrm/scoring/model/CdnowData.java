package com.shopcrm.scoring.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CDNOW data sets of the BTYD literature (shared/datasets/cdnow, outside the repository), found
 * by walking up from the working directory; tests skip through JUnit assumptions when absent.
 */
final class CdnowData {

  private CdnowData() {
  }

  /** The data set folder, if some ancestor of the working directory has shared/datasets/cdnow. */
  static Optional<Path> directory() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared").resolve("datasets").resolve("cdnow");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  static Optional<Path> file(String name) {
    return directory().map(d -> d.resolve(name)).filter(Files::isRegularFile);
  }

  /** cdnow_customers_summary.csv: ID,frequency,recency,T (weeks). */
  static List<CustomerSummary> summaries(Path csv) throws IOException {
    List<CustomerSummary> out = new ArrayList<>();
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      out.add(CustomerSummary.of(Integer.parseInt(f[1].trim()), Double.parseDouble(f[2]), Double.parseDouble(f[3])));
    }
    return out;
  }

  /** cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar, keyed by ID. */
  static Map<Integer, CustomerSummary> summariesWithValue(Path csv) throws IOException {
    Map<Integer, CustomerSummary> out = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      out.put(Integer.parseInt(f[0].trim()), new CustomerSummary(Integer.parseInt(f[1].trim()),
          Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
    }
    return out;
  }

  /**
   * CDNOW_sample.txt: customer id, id in the sample, yyyyMMdd, number of CDs, dollar value;
   * purchases keyed by the id in the sample (the ID of the summary files).
   */
  static Map<Integer, List<Purchase>> purchases(Path txt) throws IOException {
    DateTimeFormatter day = DateTimeFormatter.BASIC_ISO_DATE;
    Map<Integer, List<Purchase>> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(txt)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 5) {
        continue;
      }
      out.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>())
          .add(new Purchase(LocalDate.parse(f[2], day), Double.parseDouble(f[4])));
    }
    return out;
  }
}
