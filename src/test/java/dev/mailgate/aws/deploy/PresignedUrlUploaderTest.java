package dev.mailgate.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PUT to the pre-signed URL, against a loopback server standing in for S3. */
class PresignedUrlUploaderTest {
  record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {}

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
          Map.copyOf(ex.getRequestHeaders()), body));
      byte[] answer = status == 200 ? new byte[0] : "<Error><Code>SignatureDoesNotMatch</Code></Error>"
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        ex.getResponseBody().write(answer);
      }
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + "/arn%3Aaws%3Acloudformation/stack/req?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc");
  }

  @Test
  void putsTheBodyWithAnEmptyContentTypeAndTheSignedQueryIntact() throws Exception {
    byte[] body = "{\"Status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);
    PresignedUrlUploader.create().put(url(), body);
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("PUT");
      assertThat(r.query()).isEqualTo("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc");
      assertThat(r.body()).isEqualTo(body);
      assertThat(r.headers().get("Content-type")).containsExactly("");
      assertThat(r.headers().get("Content-length")).containsExactly(Integer.toString(body.length));
    });
  }

  @Test
  void aRefusedPutIsAnError() {
    status = 403;
    assertThatThrownBy(() -> PresignedUrlUploader.create().put(url(), new byte[] {'{', '}'}))
        .isInstanceOf(IOException.class).hasMessageContaining("HTTP 403").hasMessageContaining("SignatureDoesNotMatch");
  }
}
