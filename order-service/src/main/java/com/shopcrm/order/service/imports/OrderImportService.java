package com.shopcrm.order.service.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.client.Buyer;
import com.shopcrm.order.client.BuyerResolution;
import com.shopcrm.order.client.CustomerDirectory;
import com.shopcrm.order.client.ServiceTokens;
import com.shopcrm.order.config.OrderConfig;
import com.shopcrm.order.model.ImportJobView;
import com.shopcrm.order.repository.ImportJobRepository;
import com.shopcrm.order.repository.ImportJobRepository.Job;
import com.shopcrm.order.repository.ImportJobRepository.Progress;
import com.shopcrm.order.repository.ImportedOrderRepository;
import com.shopcrm.order.repository.ImportedOrderRepository.BuyerOutcome;
import com.shopcrm.order.repository.OrderEventRepository;
import com.shopcrm.order.repository.OrderRepository;
import com.shopcrm.order.service.imports.OrderChunk.Assembled;
import com.shopcrm.order.service.imports.OrderChunk.ImportedOrder;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bulk order imports: the upload is spooled to disk and checked (format, header) before the 202;
 * a background worker then streams the file through fastcsv in chunks of
 * {@code crm.order.imports.chunk-orders} orders. Per chunk: the buyers not seen before in this job
 * are resolved with ONE customer-service batch call per 1,000 (with a token order-service signs
 * itself, {@link ServiceTokens}), then orders, items, outbox events and the job's progress commit in
 * ONE transaction. The stages overlap (see {@link #importFile}): chunk N+2 is read while chunk N+1's
 * buyers are resolved and chunk N is written; the orders and items of two chunks may be inserted at
 * once (on two connections), but events and progress are written, and chunks commit, one at a time
 * in file order, and a chunk is cut only where the order number changes (the rows of an order are never split). That
 * makes the job resumable: after a restart it continues after the last committed chunk from the
 * spool file, or fails saying so when the file is gone; a chunk is never half-written and a
 * re-import counts existing order numbers as duplicates.
 *
 * <p>Jobs run one at a time on one thread (the others wait {@code queued}): an import is
 * database-bound, and parallel imports would only compete for the same disks.
 */
@ApplicationScoped
public class OrderImportService {

  private static final Duration DB_WAIT = Duration.ofMinutes(5);
  /** From this many new buyers in a chunk on, they go to customer-service in two or more parallel calls. */
  private static final int MIN_PARALLEL_BATCH = 200;
  private static final CsvReader.CsvReaderBuilder CSV = CsvReader.builder()
      .allowExtraFields(true).allowMissingFields(true).skipEmptyLines(true);

  private final Pool pool;
  private final ImportJobRepository jobs;
  private final ImportedOrderRepository imported;
  private final OrderEventRepository events;
  private final OrderRepository orders;
  private final CustomerDirectory customers;
  private final ServiceTokens tokens;
  private final OrderConfig config;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "order-import");
    t.setDaemon(true);
    return t;
  });
  /** Looks up existing orders and resolves buyers of the chunk after the one being written (blocking calls). */
  private final ExecutorService buyerThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "order-import-buyers");
    t.setDaemon(true);
    return t;
  });
  private final Set<UUID> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  OrderImportService(Pool pool, ImportJobRepository jobs, ImportedOrderRepository imported,
      OrderEventRepository events, OrderRepository orders, CustomerDirectory customers, ServiceTokens tokens,
      OrderConfig config, ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.jobs = jobs;
    this.imported = imported;
    this.events = events;
    this.orders = orders;
    this.customers = customers;
    this.tokens = tokens;
    this.config = config;
    this.mapper = mapper;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- submit and read

  /**
   * Spools the body, checks it is a CSV of the format with the required columns (else 400, nothing
   * kept), records the job queued and starts it. Blocking: call it on a worker thread.
   */
  public ImportJobView submit(TenantContext tenant, String formatName, String contentType, InputStream body) {
    ImportFormat format = ImportFormat.fromWire(formatName);
    if (format == null) {
      throw ProblemException.invalid("format", "must be generic or taobao");
    }
    UUID id = UUID.randomUUID();
    Path spool = spoolDir().resolve(id + ".csv");
    try {
      long bytes = ImportSpool.write(body, spool);
      if (bytes == 0) {
        throw ProblemException.badRequest("The body is empty: send the CSV file as the request body");
      }
      Charset charset = ImportSpool.detect(spool, contentType);
      checkHeader(spool, charset, format);
      ImportJobView job = jobs.create(pool, tenant.tenantId(), id, format.wire(), charset.name(), bytes,
          spool.toString(), tenant.subject(), now()).await().atMost(DB_WAIT);
      Log.infof("import %s of tenant %s queued: %s, %d bytes, %s", id, tenant.tenantId(), format.wire(), bytes,
          charset.name());
      start(tenant.tenantId(), id);
      return job;
    } catch (IOException e) {
      delete(spool);
      throw new UncheckedIOException("cannot spool the upload", e);
    } catch (RuntimeException e) {
      delete(spool);
      throw e;
    }
  }

  public Uni<ImportJobView> find(TenantContext tenant, UUID id) {
    return jobs.find(pool, tenant.tenantId(), id);
  }

  private void checkHeader(Path spool, Charset charset, ImportFormat format) throws IOException {
    try (Reader reader = ImportSpool.open(spool, charset, new long[1]);
         CsvReader<CsvRecord> csv = CSV.ofCsvRecord(reader)) {
      Iterator<CsvRecord> records = csv.iterator();
      if (!records.hasNext()) {
        throw ProblemException.badRequest("The body has no CSV header row");
      }
      OrderCsvLayout.of(format, records.next().getFields(), zone());
    } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
      throw ProblemException.badRequest("The body is not readable as CSV: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- restart

  void onStart(@Observes StartupEvent event) {
    try {
      resumeUnfinished();
    } catch (RuntimeException e) {
      Log.errorf(e, "could not look for unfinished imports at startup");
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
    worker.shutdown();
    try {
      if (!worker.awaitTermination(20, TimeUnit.SECONDS)) {
        Log.info("an import is still writing its chunk at shutdown; it resumes at the next start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    buyerThread.shutdown();
  }

  /**
   * Jobs left queued or running (the service stopped under them, this or another process): each
   * resumes after its last committed chunk when its spool file is still there, else fails saying
   * so. The number resumed. Jobs this process is running are left alone.
   */
  public int resumeUnfinished() {
    int resumed = 0;
    for (Job job : jobs.unfinished(pool).await().atMost(DB_WAIT)) {
      if (active.contains(job.id())) {
        continue;
      }
      if (job.spoolPath() == null || !Files.exists(Path.of(job.spoolPath()))) {
        fail(job.tenantId(), job.id(), "The service restarted during the import and the uploaded file (spool "
            + job.spoolPath() + ") is gone, so it cannot resume; rows before line " + job.committedLine()
            + " were imported. Upload the file again: imported orders count as duplicates.");
        continue;
      }
      Log.infof("resuming import %s of tenant %s from line %d", job.id(), job.tenantId(), job.committedLine());
      start(job.tenantId(), job.id());
      resumed++;
    }
    return resumed;
  }

  // ---------------------------------------------------------------- the worker

  private void start(String tenantId, UUID id) {
    if (active.add(id)) {
      worker.execute(() -> {
        try {
          run(tenantId, id);
        } finally {
          active.remove(id);
        }
      });
    }
  }

  private void run(String tenantId, UUID id) {
    if (stopping) {
      return;
    }
    Job job = null;
    try {
      job = jobs.job(pool, tenantId, id).await().atMost(DB_WAIT);
      if (job == null || !(job.status().equals("queued") || job.status().equals("running"))) {
        return;
      }
      Path spool = job.spoolPath() == null ? null : Path.of(job.spoolPath());
      if (spool == null || !Files.exists(spool)) {
        fail(tenantId, id, "The uploaded file (spool " + job.spoolPath() + ") is gone; rows before line "
            + job.committedLine() + " were imported. Upload the file again: imported orders count as duplicates.");
        return;
      }
      jobs.markRunning(pool, tenantId, id, now()).await().atMost(DB_WAIT);
      if (importFile(job, spool)) {
        jobs.complete(pool, tenantId, id, now()).await().atMost(DB_WAIT);
        delete(spool);
        Log.infof("import %s of tenant %s completed", id, tenantId);
      }
    } catch (Throwable e) {
      if (stopping) {
        Log.infof("import %s stopped with the service; it resumes at the next start", id);
        return;
      }
      Log.errorf(e, "import %s of tenant %s failed", id, tenantId);
      String reason = e instanceof ImportFailure ? e.getMessage()
          : "The import stopped on an unexpected error: " + e;
      fail(tenantId, id, reason + (job == null ? "" : " Chunks committed before it stay imported (see the counts);"
          + " uploading the file again imports the rest, the imported orders counting as duplicates."));
      if (job != null && job.spoolPath() != null) {
        delete(Path.of(job.spoolPath()));
      }
    }
  }

  /**
   * Reads the spool from the job's resume point to the end; false when stopped by shutdown.
   *
   * <p>Pipelined: while chunk N is written (one transaction on the reactive pool), this thread
   * already parses chunk N+1 and resolves its buyers in customer-service; N+1's orders and items are
   * inserted while N is still writing, but its events and progress only once N committed, so chunks
   * still commit one at a time and in file order (the resume point only moves forward over
   * committed chunks).
   */
  private boolean importFile(Job job, Path spool) throws IOException {
    ZoneId zone = zone();
    long[] bytesRead = new long[1];
    JobState state = new JobState(job, config.imports().buyerCache());
    int chunkOrders = config.imports().chunkOrders();
    long started = System.nanoTime();
    try (Reader reader = ImportSpool.open(spool, Charset.forName(job.charset()), bytesRead);
         CsvReader<CsvRecord> csv = CSV.ofCsvRecord(reader)) {
      Iterator<CsvRecord> records = csv.iterator();
      if (!records.hasNext()) {
        return true;
      }
      OrderCsvLayout layout = OrderCsvLayout.of(ImportFormat.fromWire(job.format()), records.next().getFields(),
          zone);
      OrderChunk chunk = new OrderChunk();
      long lastLine = 1;
      long t = System.nanoTime();
      while (records.hasNext()) {
        CsvRecord record = records.next();
        long line = record.getStartingLineNumber();
        if (line < job.committedLine() || OrderCsvLayout.blank(record)) {
          continue;
        }
        ImportRow row = layout.read(record);
        // chunks are cut only where the order number changes: the rows of one order stay together
        if (chunk.orderCount() >= chunkOrders
            && (row.orderNo() == null || !row.orderNo().equals(chunk.lastOrderNo()))) {
          state.tParse += System.nanoTime() - t;
          commit(state, chunk, line, bytesRead[0]);
          t = System.nanoTime();
          chunk = new OrderChunk();
          if (stopping) {
            awaitWrites(state);
            return false;
          }
        }
        chunk.add(row);
        lastLine = line;
      }
      state.tParse += System.nanoTime() - t;
      if (chunk.rowCount() > 0) {
        commit(state, chunk, lastLine + 1, bytesRead[0]);
      }
      awaitWrites(state);
      Log.infof("import %s: %d chunk(s) in %d ms; the reading thread spent parse %d, assemble %d, waiting for "
              + "writes %d (ms); the buyer thread lookup %d, buyers %d; writes took %d ms in all", job.id(), state.chunks,
          (System.nanoTime() - started) / 1_000_000, state.tParse / 1_000_000, state.tAssemble / 1_000_000,
          state.tWait / 1_000_000, state.tLookup / 1_000_000, state.tBuyers / 1_000_000, state.tWrite.sum() / 1_000_000);
      return true;
    } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
      throw new ImportFailure("The CSV is malformed: " + e.getMessage() + ".");
    } finally {
      // an error on this thread: let the chunks handed on finish (or fail) before the job is marked
      try {
        state.lastWrite.get(DB_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception ignored) {
        // a write's own failure is thrown by awaitWrites, or the caller reports this thread's
      }
    }
  }

  /**
   * One chunk, in three stages: assembled on this thread; its existing orders looked up and its
   * buyers resolved on the buyer thread (chunk after chunk, so the buyer cache sees them in order);
   * then written (orders + items + events + progress in one transaction) once its buyers are known
   * AND the previous chunk committed. Returns as soon as the chunk is handed on, after waiting for
   * the write two chunks back (at most two chunks beyond the one being read are held).
   */
  private void commit(JobState state, OrderChunk chunk, long nextLine, long bytesRead) {
    Job job = state.job;
    long t0 = System.nanoTime();
    Assembled assembled = chunk.assemble();
    List<ImportedOrder> batch = assembled.orders();
    String[] orderNos = new String[batch.size()];
    for (int i = 0; i < orderNos.length; i++) {
      orderNos[i] = batch.get(i).head().orderNo();
    }
    int room = (int) Math.max(0, config.imports().maxErrors() - state.storedErrors);
    List<OrderChunk.RowError> kept = assembled.errors().subList(0, Math.min(room, assembled.errors().size()));
    String errorsJson;
    try {
      errorsJson = mapper.writeValueAsString(kept);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    state.storedErrors += kept.size();
    state.tAssemble += System.nanoTime() - t0;

    // back-pressure: the write two chunks back must have committed
    long t1 = System.nanoTime();
    while (state.writes.size() >= 2) {
      join(state.writes.removeFirst());
    }
    state.tWait += System.nanoTime() - t1;

    CompletableFuture<List<BuyerOutcome>> buyers = state.buyers.thenApplyAsync(previous -> {
      long b0 = System.nanoTime();
      // only orders with a buyer need to know (an existing order's buyer is not resolved again)
      String[] withBuyer = batch.stream().filter(o -> !o.head().anonymous()).map(o -> o.head().orderNo())
          .toArray(String[]::new);
      Set<String> existing = withBuyer.length == 0 ? new HashSet<>()
          : new HashSet<>(orders.existingOrderNos(pool, job.tenantId(), withBuyer).await().atMost(DB_WAIT));
      // chunks still being written are not visible yet: their numbers count as existing too (a
      // number seen again further down the file is a duplicate, whose buyer is not resolved)
      for (Set<String> recent : state.recentOrderNos) {
        for (String no : orderNos) {
          if (recent.contains(no)) {
            existing.add(no);
          }
        }
      }
      long b1 = System.nanoTime();
      List<BuyerOutcome> outcome = resolveBuyers(state, batch, existing);
      state.recentOrderNos.addLast(new HashSet<>(Arrays.asList(orderNos)));
      if (state.recentOrderNos.size() > 2) {
        state.recentOrderNos.removeFirst();
      }
      state.tLookup += b1 - b0;
      state.tBuyers += System.nanoTime() - b1;
      return outcome;
    }, buyerThread);
    state.buyers = buyers.thenApply(b -> null);

    // The orders and items of this chunk are inserted as soon as its buyers are known, while the
    // previous chunk may still be writing on another connection; its events and progress wait for
    // that chunk's commit, so events keep the file's order and the resume point only moves over
    // committed chunks. (A number also in the previous chunk makes this insert wait for that commit
    // on the unique index, then skip it: no cycle, the previous chunk never waits for this one.)
    CompletableFuture<Boolean> previousWrite = state.lastWrite;
    CompletableFuture<Boolean> write = buyers.thenCompose(resolved -> {
      OffsetDateTime now = now();
      long w0 = System.nanoTime();
      return pool.withTransaction(tx -> imported.insertNew(tx, job.tenantId(), batch, resolved, now)
              .flatMap(stored -> Uni.createFrom().completionStage(previousWrite)
                  .flatMap(previousOk -> events.appendAll(tx, job.tenantId(), "order.created",
                      ImportedOrderRepository.storedViews(batch, resolved, stored, now), now))
                  .flatMap(appended -> {
                    long rowsImported = 0;
                    long rowsDuplicate = 0;
                    for (ImportedOrder o : batch) {
                      if (stored.containsKey(o.head().orderNo())) {
                        rowsImported += o.rows();
                      } else {
                        rowsDuplicate += o.rows();
                      }
                    }
                    Progress progress = new Progress(assembled.rowsTotal(), rowsImported, rowsDuplicate,
                        assembled.rowsRejected(), stored.size(), errorsJson, nextLine, bytesRead);
                    return jobs.commitChunk(tx, job.tenantId(), job.id(), progress, now);
                  })
                  .map(ok -> {
                    if (!ok) {
                      throw new ImportFailure("The job was ended while it ran.");
                    }
                    return ok;
                  })))
          .invoke(ok -> state.tWrite.add(System.nanoTime() - w0))
          .subscribeAsCompletionStage();
    });
    state.lastWrite = write;
    state.writes.addLast(write);
    state.chunks++;
  }

  /** Waits for every chunk handed on to commit; the first failure is this thread's. */
  private static void awaitWrites(JobState state) {
    try {
      join(state.lastWrite);
    } finally {
      state.writes.clear();
    }
  }

  /** Waits for a chunk's write; its failure is thrown here as it was raised. */
  private static void join(CompletableFuture<?> write) {
    try {
      write.get(DB_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a chunk was written", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("a chunk's write took longer than " + DB_WAIT, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * The customer of every new, non-anonymous order: buyers this job has not resolved yet go to
   * customer-service in batches of at most 1,000 distinct buyers, one call each.
   */
  private List<BuyerOutcome> resolveBuyers(JobState state, List<ImportedOrder> batch, Set<String> existing) {
    Map<String, Buyer> needed = new LinkedHashMap<>();
    for (ImportedOrder o : batch) {
      ImportRow h = o.head();
      if (h.anonymous() || existing.contains(h.orderNo())) {
        continue;
      }
      String key = Buyer.key(h.platform(), h.customerExternalId());
      if (!state.customerIds.containsKey(key)) {
        needed.merge(key, new Buyer(h.platform(), h.customerExternalId(), h.customerName(), h.phone(), h.email(),
            h.province(), h.city()), OrderImportService::fill);
      }
    }
    Map<String, String> refused = new HashMap<>();
    List<Buyer> all = new ArrayList<>(needed.values());
    if (!all.isEmpty()) {
      String authorization = tokens.authorizationFor(state.job.tenantId()).orElseThrow(() -> new ImportFailure(
          "order-service cannot call customer-service for the buyers: no internal private key is configured "
              + "(CRM_JWT_PRIVATE_KEY_LOCATION)."));
      // the chunk's new buyers are distinct: split them in even parts sent at once (customer-service
      // works on two batches in parallel), each at most MAX_BATCH
      int parts = all.size() < MIN_PARALLEL_BATCH ? 1
          : Math.max(2, (all.size() + CustomerDirectory.MAX_BATCH - 1) / CustomerDirectory.MAX_BATCH);
      int size = (all.size() + parts - 1) / parts;
      List<Uni<BuyerResolution>> calls = new ArrayList<>();
      for (int from = 0; from < all.size(); from += size) {
        calls.add(customers.resolve(authorization, "import-" + state.job.id(),
            all.subList(from, Math.min(all.size(), from + size))));
      }
      for (BuyerResolution resolution : Uni.join().all(calls).andFailFast().await().atMost(DB_WAIT)) {
        if (resolution.available()) {
          state.customerIds.putAll(resolution.ids());
          refused.putAll(resolution.errors());
        }
      }
    }
    List<BuyerOutcome> out = new ArrayList<>(batch.size());
    for (ImportedOrder o : batch) {
      ImportRow h = o.head();
      if (h.anonymous() || existing.contains(h.orderNo())) {
        out.add(BuyerOutcome.NONE);
        continue;
      }
      String key = Buyer.key(h.platform(), h.customerExternalId());
      Long id = state.customerIds.get(key);
      if (id != null) {
        out.add(new BuyerOutcome(id, false, null));
      } else if (refused.containsKey(key)) {
        out.add(new BuyerOutcome(null, false, refused.get(key)));
      } else {
        out.add(new BuyerOutcome(null, true, null)); // customer-service down: resolved later in the background
      }
    }
    return out;
  }

  private static Buyer fill(Buyer a, Buyer b) {
    return new Buyer(a.platform(), a.externalId(), a.name() != null ? a.name() : b.name(),
        a.phone() != null ? a.phone() : b.phone(), a.email() != null ? a.email() : b.email(),
        a.province() != null ? a.province() : b.province(), a.city() != null ? a.city() : b.city());
  }

  /** A running job's memory: the buyers it resolved (bounded, least recently used dropped) and its error count. */
  private static final class JobState {
    final Job job;
    final Map<String, Long> customerIds;
    long storedErrors;
    /** The last chunk's buyer stage and write, the writes not yet joined, the last chunks' numbers. */
    CompletableFuture<Void> buyers = CompletableFuture.completedFuture(null);
    CompletableFuture<Boolean> lastWrite = CompletableFuture.completedFuture(true);
    final ArrayDeque<CompletableFuture<Boolean>> writes = new ArrayDeque<>();
    final ArrayDeque<Set<String>> recentOrderNos = new ArrayDeque<>();
    int chunks;
    long tParse;
    long tAssemble;
    long tWait;
    volatile long tLookup;
    volatile long tBuyers;
    final LongAdder tWrite = new LongAdder();

    JobState(Job job, int cacheSize) {
      this.job = job;
      this.storedErrors = job.storedErrors();
      this.customerIds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > cacheSize;
        }
      };
    }
  }

  /** A reason to stop the job that the job resource shows as it is. */
  static final class ImportFailure extends RuntimeException {
    ImportFailure(String message) {
      super(message, null, false, false);
    }
  }

  // ---------------------------------------------------------------- helpers

  private void fail(String tenantId, UUID id, String reason) {
    try {
      jobs.fail(pool, tenantId, id, reason, now()).await().atMost(DB_WAIT);
    } catch (RuntimeException e) {
      Log.errorf(e, "could not mark import %s failed", id);
    }
  }

  private Path spoolDir() {
    return Path.of(config.imports().spoolDir().orElse(System.getProperty("java.io.tmpdir")))
        .resolve("crm-order-imports");
  }

  private ZoneId zone() {
    return ZoneId.of(config.imports().shopZone());
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      Log.warnf("could not delete the spool file %s: %s", file, e.toString());
    }
  }

  /** In microseconds, as a timestamptz column keeps it (the events carry what the rows hold). */
  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
