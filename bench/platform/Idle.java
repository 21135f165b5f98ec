/** The baseline for service RSS: a JVM with the launcher's flags that does nothing. */
public class Idle {
  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
  }
}
