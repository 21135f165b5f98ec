package com.shopcrm.launcher.importer;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code crm import}: uploads an order export through the gateway with a progress bar, follows the job with a
 * second one until it completes or fails, and prints the report. Progress goes to {@code err}, the report to
 * {@code out}. The exit codes are {@link #COMPLETED}, {@link #NOT_CLEAN} and (for the command) {@link #USAGE}.
 */
public class OrderImport {

  /** Completed with every row imported or already there. */
  public static final int COMPLETED = 0;
  /** The job failed or rejected rows, or the gateway refused the upload or could not be reached. */
  public static final int NOT_CLEAN = 1;
  /** Bad options, an unreadable file, or no API key. */
  public static final int USAGE = 2;

  /** How long polling rides out an unreachable gateway or a 5xx (a service restarting: the job resumes). */
  static final Duration OUTAGE_TOLERATED = Duration.ofMinutes(2);

  private enum Stage { IDLE, UPLOADING, FOLLOWING, DONE }

  private final ImportClient client;
  private final PrintWriter out;
  private final PrintWriter err;
  private final ProgressBar.Display display;
  private final Duration pollInterval;
  private final String keyHint;
  private volatile Stage stage = Stage.IDLE;
  private volatile String jobId;

  /**
   * {@code keyHint} is what the printed curl commands put after {@code Bearer} (never the key itself), e.g.
   * {@code $CRM_API_KEY}.
   */
  public OrderImport(ImportClient client, PrintWriter out, PrintWriter err, ProgressBar.Display display,
      Duration pollInterval, String keyHint) {
    this.client = client;
    this.out = out;
    this.err = err;
    this.display = display;
    this.pollInterval = pollInterval;
    this.keyHint = keyHint;
  }

  /** Imports {@code file} as {@code format} (generic or taobao); the exit code. */
  public int run(Path file, String format) throws InterruptedException {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      err.println("crm import: cannot read " + file + ": " + e.getMessage());
      err.flush();
      return USAGE;
    }

    ProgressBar upload = new ProgressBar(err, "Uploading", display);
    // the rate as of the last byte sent, not counting the wait for the server's answer
    AtomicReference<String> uploaded = new AtomicReference<>(uploadDetail(size, size, upload));
    ImportJob job;
    stage = Stage.UPLOADING;
    try {
      job = client.upload(file, format, sent -> {
        String detail = uploadDetail(sent, size, upload);
        uploaded.set(detail);
        upload.update(sent, size, detail);
      });
    } catch (GatewayAnswerException e) {
      stage = Stage.DONE;
      upload.abandon();
      return fail(e.describe());
    } catch (IOException e) {
      stage = Stage.DONE;
      upload.abandon();
      return fail("Upload failed: cannot reach the gateway at " + client.gateway() + " (" + describe(e)
          + "). Is the platform up? ./crm status tells.");
    }
    jobId = job.id();
    stage = Stage.FOLLOWING;
    upload.finish(size, size, uploaded.get());

    try {
      job = follow(job);
    } catch (GatewayAnswerException e) {
      return fail(e.describe() + System.lineSeparator() + checkLater());
    } catch (IOException e) {
      return fail("Lost the gateway for over " + OUTAGE_TOLERATED.toMinutes() + " minutes (" + describe(e)
          + "). The import may still be running." + System.lineSeparator() + checkLater());
    } finally {
      stage = Stage.DONE;
    }
    ImportReport.print(job, client.jobUri(job.id()), out);
    return job.completed() && job.rowsRejected() == 0 ? COMPLETED : NOT_CLEAN;
  }

  /**
   * What to tell the operator when the JVM is stopped (Ctrl-C) in the middle: the job keeps running on the
   * server and how to look at it; nothing when no upload or job was under way.
   */
  public Optional<String> interruptedNotice() {
    return switch (stage) {
      case UPLOADING -> Optional.of("crm import: interrupted during the upload; no import was started unless"
          + " the whole file had already been sent.");
      case FOLLOWING -> Optional.of("crm import: stopped watching. Import " + jobId + " keeps running on the"
          + " server." + System.lineSeparator() + checkLater());
      default -> Optional.empty();
    };
  }

  private ImportJob follow(ImportJob job) throws IOException, InterruptedException {
    ProgressBar importing = new ProgressBar(err, "Importing", display);
    long outageStarted = 0;
    boolean outageReported = false;
    while (!job.finished()) {
      importing.update(job.bytesRead(), job.bytesTotal(), rowsDetail(job));
      Thread.sleep(pollInterval.toMillis());
      try {
        job = client.job(job.id());
        outageStarted = 0;
      } catch (IOException | GatewayAnswerException e) {
        if (e instanceof GatewayAnswerException answer && answer.status() < 500) {
          importing.abandon();
          throw answer;
        }
        long now = System.nanoTime();
        if (outageStarted == 0) {
          outageStarted = now;
        } else if (now - outageStarted > OUTAGE_TOLERATED.toNanos()) {
          importing.abandon();
          throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (!outageReported) {
          importing.abandon();
          err.println("crm import: the gateway does not answer (" + describe(e) + "); retrying ...");
          err.flush();
          outageReported = true;
        }
      }
    }
    long total = job.bytesTotal() > 0 ? job.bytesTotal() : 1;
    importing.finish(job.completed() ? total : job.bytesRead(), total, rowsDetail(job));
    return job;
  }

  private int fail(String message) {
    err.println(message);
    err.flush();
    return NOT_CLEAN;
  }

  private String checkLater() {
    return "Check it with: curl -s " + client.jobUri(jobId) + " -H \"Authorization: Bearer " + keyHint + "\"";
  }

  private static String uploadDetail(long sent, long size, ProgressBar bar) {
    double seconds = bar.elapsedSeconds();
    String rate = seconds > 0.5 ? ", " + ProgressBar.bytes((long) (sent / seconds)) + "/s" : "";
    return ProgressBar.bytes(sent) + " / " + ProgressBar.bytes(size) + rate;
  }

  private static String rowsDetail(ImportJob job) {
    if (!job.completed() && !"running".equals(job.status()) && job.rowsTotal() == 0) {
      return job.status();
    }
    String rows = String.format(Locale.ROOT, "%,d rows", job.rowsTotal());
    return job.rowsRejected() == 0 ? rows : rows + String.format(Locale.ROOT, ", %,d rejected", job.rowsRejected());
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }
}
