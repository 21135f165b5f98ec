package com.shopcrm.launcher.importer;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A request body that tells how many bytes the HTTP client has taken so far (for the upload progress bar).
 * The client pulls the body as it writes it to the connection, so this follows the upload to within a buffer.
 */
final class CountingBodyPublisher implements HttpRequest.BodyPublisher {

  private final HttpRequest.BodyPublisher body;
  private final LongConsumer sentSoFar;

  CountingBodyPublisher(HttpRequest.BodyPublisher body, LongConsumer sentSoFar) {
    this.body = body;
    this.sentSoFar = sentSoFar;
  }

  @Override
  public long contentLength() {
    return body.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    // One count per subscription: a resent request starts over.
    body.subscribe(new Flow.Subscriber<ByteBuffer>() {
      private long sent;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscriber.onSubscribe(subscription);
      }

      @Override
      public void onNext(ByteBuffer item) {
        int bytes = item.remaining();
        subscriber.onNext(item);
        sent += bytes;
        sentSoFar.accept(sent);
      }

      @Override
      public void onError(Throwable throwable) {
        subscriber.onError(throwable);
      }

      @Override
      public void onComplete() {
        subscriber.onComplete();
      }
    });
  }
}
