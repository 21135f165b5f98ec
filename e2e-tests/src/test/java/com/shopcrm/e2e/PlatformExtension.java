package com.shopcrm.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives a test the running {@link E2ePlatform}: started once for the whole test run (the first
 * test class that asks), stopped when the run ends (JUnit closes it with the root context). When
 * a test fails, the end of each service's log is printed beside the failure.
 *
 * <pre>
 * &#64;ExtendWith(PlatformExtension.class)
 * class NewcomerPathTest {
 *   NewcomerPathTest(E2ePlatform platform) { ... }
 * }
 * </pre>
 */
public class PlatformExtension implements ParameterResolver, TestWatcher {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PlatformExtension.class);

  static E2ePlatform platform(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(Started.class, type -> Started.attempt(), Started.class)
        .platformOrFailure();
  }

  /** The one start attempt of the run: a platform that failed to start fails every test at once, not after another wait. */
  private record Started(E2ePlatform platform, RuntimeException failure) implements AutoCloseable {

    static Started attempt() {
      try {
        return new Started(E2ePlatform.start(), null);
      } catch (RuntimeException e) {
        return new Started(null, e);
      }
    }

    E2ePlatform platformOrFailure() {
      if (failure != null) {
        throw new IllegalStateException("the platform did not start: " + failure.getMessage(), failure);
      }
      return platform;
    }

    @Override
    public void close() {
      if (platform != null) {
        platform.close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == E2ePlatform.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return platform(context);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Started started = context.getRoot().getStore(NAMESPACE).get(Started.class, Started.class);
    if (started != null && started.platform() != null) {
      System.err.println("===== " + context.getDisplayName() + " failed; the services' logs end with:\n"
          + started.platform().logTails(60));
    }
  }
}
