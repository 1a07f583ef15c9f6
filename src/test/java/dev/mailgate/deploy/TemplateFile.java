package dev.mailgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** template.yaml, and broken copies of it for the tests that show a check reports what it should. */
final class TemplateFile {
  private TemplateFile() {}

  static final Path PATH = Path.of("template.yaml");

  static String text() {
    try {
      return Files.readString(PATH);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> parsed() {
    return CfnYaml.parse(text());
  }

  /**
   * template.yaml with {@code old} replaced where it first occurs. It must occur once, or else only in the
   * gateway function and the sweep function, which repeats the gateway's environment: the gateway's comes
   * first and is the one broken.
   */
  static String broken(String old, String replacement) {
    String template = text();
    int at = template.indexOf(old);
    if (at < 0) {
      throw new IllegalArgumentException("'" + old + "' does not occur in template.yaml");
    }
    int sweep = template.indexOf("\n  SweepFunction:\n");
    int next = template.indexOf(old, at + 1);
    int sweepEnd = template.indexOf("\n  SesInvokePermission:\n");
    if (next >= 0 && (at > sweep || next < sweep || next > sweepEnd || template.indexOf(old, next + 1) >= 0)) {
      throw new IllegalArgumentException("'" + old + "' must occur exactly once in template.yaml (or once more in"
          + " the sweep function's copy of the gateway's environment)");
    }
    return template.substring(0, at) + replacement + template.substring(at + old.length());
  }
}
