package dev.mailgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the classes a local {@code invoke} or {@code sweep} needs on a second thread while the main
 * thread starts the command line (docs/PERFORMANCE.md, "Cold start"). Loading a class (reading it from the
 * jar, inflating, defining it) is most of a cold start's time; the main thread finds the classes loaded
 * when it gets to them. Classes are only loaded, never initialized, so no static initializer runs on this
 * thread and no class-initialization lock can be taken in an order the main thread does not expect.
 *
 * <p>The list, {@code preload.txt} next to this class, is written by {@code bench/preload-list.sh}: the
 * classes the README's main command loads from the jar, in load order. A class missing from the jar is
 * skipped, so a stale list costs only speed. Only the command line uses this: the Lambda handlers never
 * do (SnapStart's snapshot already holds their classes).
 */
final class ClassPreloader {
  static final String LIST = "preload.txt";
  /** {@code -Dmailgate.preload=false} turns preloading off (bench/preload-list.sh, comparisons). */
  static final String DISABLE = "mailgate.preload";

  private ClassPreloader() {}

  /** Starts preloading for the command in {@code args[0]}, when it is one that benefits; returns at once. */
  static void startFor(String[] args) {
    if (args.length == 0 || !(args[0].equals("invoke") || args[0].equals("sweep"))
        || "false".equals(System.getProperty(DISABLE))) {
      return;
    }
    Thread t = new Thread(ClassPreloader::run, "mailgate-preload");
    t.setDaemon(true); // never keeps the process alive
    t.start();
  }

  private static void run() {
    ClassLoader loader = ClassPreloader.class.getClassLoader();
    for (String name : classes()) {
      try {
        Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // a stale list: the main thread loads what it needs itself
      }
    }
  }

  /**
   * The classes to load, in order. The main thread starts with picocli and the commands, in list order;
   * this thread takes those from the end backwards, so the two meet halfway, then goes on with the rest
   * (configuration, DNS fixture, pipeline), ahead of the main thread.
   */
  static List<String> classes() {
    List<String> out = new ArrayList<>();
    List<String> head = new ArrayList<>();
    try (InputStream in = ClassPreloader.class.getResourceAsStream(LIST)) {
      if (in == null) {
        return out;
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("picocli.") || line.startsWith("dev.mailgate.cli.")) {
          head.add(line);
        } else {
          out.add(line);
        }
      }
    } catch (IOException e) {
      // no list, no preloading
    }
    java.util.Collections.reverse(head);
    head.addAll(out);
    return head;
  }
}
