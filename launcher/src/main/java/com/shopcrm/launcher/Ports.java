package com.shopcrm.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Which TCP ports are free, so a start fails with a clear message instead of a bind error. */
public final class Ports {

  private Ports() {
  }

  /** Whether nothing listens on the port (the services bind all interfaces). */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Any free port the system hands out. */
  public static int anyFree() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new PlatformException("no free TCP port: " + e.getMessage(), e);
    }
  }

  /**
   * A base such that {@code base .. base+count-1} are all free: {@code preferred} when it is,
   * else a random one in the ephemeral-free range 20000-40000.
   */
  public static int freeRange(int preferred, int count) {
    if (rangeFree(preferred, count)) {
      return preferred;
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(2000, 4000) * 10;
      if (rangeFree(base, count)) {
        return base;
      }
    }
    throw new PlatformException("found no " + count + " consecutive free TCP ports");
  }

  private static boolean rangeFree(int base, int count) {
    for (int p = base; p < base + count; p++) {
      if (!isFree(p)) {
        return false;
      }
    }
    return true;
  }
}
