package com.shopcrm.launcher.importer;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** The final report of an import: outcome, counts, the first rejected rows by line, and where the job is. */
final class ImportReport {

  static final int ERRORS_SHOWN = 20;

  private ImportReport() {
  }

  static void print(ImportJob job, URI jobUri, PrintWriter out) {
    String kind = job.format() == null ? "" : " (" + job.format()
        + (job.charset() == null ? "" : ", " + job.charset()) + ")";
    if (job.completed()) {
      out.println("Import " + job.id() + " completed" + kind + ".");
    } else {
      out.println("Import " + job.id() + " FAILED" + kind + ": "
          + (job.failure() == null ? "no reason given" : job.failure()));
    }
    out.println(count("rows read", job.rowsTotal(), ""));
    out.println(count("imported", job.rowsImported(),
        job.ordersImported() > 0 ? String.format(Locale.ROOT, "  (%,d orders)", job.ordersImported()) : ""));
    out.println(count("duplicate", job.rowsDuplicate(), job.rowsDuplicate() > 0 ? "  (already there, skipped)" : ""));
    out.println(count("rejected", job.rowsRejected(), ""));

    List<ImportJob.RowError> errors = job.errors();
    if (!errors.isEmpty()) {
      out.println();
      out.println("Rejected rows:");
      List<ImportJob.RowError> shown = errors.subList(0, Math.min(ERRORS_SHOWN, errors.size()));
      for (ImportJob.RowError error : shown) {
        out.println(String.format(Locale.ROOT, "  line %d: %s", error.line(), error.reason()));
      }
      long more = Math.max(job.rowsRejected(), errors.size()) - shown.size();
      if (more > 0) {
        out.println(String.format(Locale.ROOT, "  ... and %,d more (the job lists the first %,d)", more,
            errors.size()));
      }
    }
    out.println();
    out.println("Job: " + jobUri);
    out.flush();
  }

  private static String count(String name, long value, String note) {
    return String.format(Locale.ROOT, "  %-10s %,12d%s", name, value, note);
  }
}
