package dev.mailgate.aws;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One S3Mock (Spring Boot, about 5 s to start) for the whole test run, on a random port, started on first
 * use and stopped when the JUnit run ends (JUnit closes AutoCloseable values of the root store). S3Mock 4.0.0 has no JUnit 5 extension of its own (that
 * lives in the separate s3mock-junit5 artifact), so {@link S3MockApplication#start} is called directly.
 * Its HTTPS connector is bound to 127.0.0.1; the plain HTTP connector the tests use is created by S3Mock
 * without an address (it listens on every interface), but the tests only ever connect over loopback.
 */
final class S3MockServer implements AutoCloseable {
  static final String BUCKET = "mail";

  private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

  private final S3MockApplication app;
  private final Path root;

  private S3MockServer() {
    try {
      root = Files.createTempDirectory("s3mock");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // dnsjava pins SLF4J 1.7 (with slf4j-nop); Spring Boot's Logback support needs SLF4J 2. Spring's
    // logging system is switched off so the two do not collide; S3Mock runs silent.
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    TOMCAT_LOG.setLevel(java.util.logging.Level.WARNING); // Tomcat logs through java.util.logging
    Map<String, Object> props = new HashMap<>();
    props.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
    props.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
    props.put("server.address", "127.0.0.1");
    props.put(S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET);
    props.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toString());
    props.put(S3MockApplication.PROP_SILENT, true);
    props.put("spring.main.banner-mode", "off");
    props.put("logging.level.root", "OFF");
    app = S3MockApplication.start(props);
  }

  /** The shared instance, started on first call. */
  static S3MockServer get(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .computeIfAbsent(S3MockServer.class, k -> new S3MockServer(), S3MockServer.class);
  }

  /** The plain HTTP endpoint (S3Mock 4 marks the HTTP port for removal; it is still the simplest to use). */
  @SuppressWarnings("removal")
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + app.getHttpPort());
  }

  @Override
  public void close() {
    app.stop();
  }
}
