package dev.mailgate.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy in front of S3Mock that can answer with S3's throttling (503 SlowDown) or server
 * errors (500) instead of forwarding, and that gives PutObject with {@code If-None-Match: *} real S3's
 * meaning (412 when the key exists), which S3Mock 4.0.0 ignores. Records every request.
 */
final class S3FaultProxy implements AutoCloseable {
  /** A request as seen: method, path and query, and its headers (lower-case names). */
  record Request(String method, String pathAndQuery, Map<String, List<String>> headers) {
    boolean is(String m, String queryPart) {
      return method.equals(m) && (queryPart == null ? !pathAndQuery.contains("?") : pathAndQuery.contains(queryPart));
    }
  }

  private static final Set<String> HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive");

  private final HttpServer server;
  private final URI target;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Predicate<Request> faultWhen = r -> false;
  private final AtomicInteger faultsLeft = new AtomicInteger();
  private volatile int faultStatus;
  private volatile boolean conditionalWrites = true;
  private final Object writeLock = new Object();

  S3FaultProxy(URI target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "s3-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code times} requests matching {@code when} get {@code status} (503 SlowDown, 500 InternalError). */
  S3FaultProxy fail(Predicate<Request> when, int times, int status) {
    faultStatus = status;
    faultsLeft.set(times);
    faultWhen = when;
    return this;
  }

  /** Whether If-None-Match on PutObject is honoured as real S3 does (default) or passed on to S3Mock as is. */
  S3FaultProxy conditionalWrites(boolean on) {
    conditionalWrites = on;
    return this;
  }

  long count(Predicate<Request> p) {
    return requests.stream().filter(p).count();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    Map<String, List<String>> headers = new java.util.TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()), headers);
    requests.add(req);
    if (faultWhen.test(req) && faultsLeft.getAndDecrement() > 0) {
      String code = faultStatus == 503 ? "SlowDown" : "InternalError";
      reply(ex, faultStatus, "<Error><Code>" + code + "</Code><Message>scripted</Message></Error>");
      return;
    }
    boolean conditional = req.method().equals("PUT") && headers.containsKey("if-none-match") && conditionalWrites;
    if (conditional) {
      synchronized (writeLock) { // real S3 decides conditional writes atomically
        HttpResponse<byte[]> head = forward("HEAD", req.pathAndQuery(), headers, new byte[0]);
        if (head.statusCode() == 200) {
          reply(ex, 412, "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you"
              + " specified did not hold</Message><Condition>If-None-Match</Condition></Error>");
          return;
        }
        pass(ex, req, headers, body);
      }
      return;
    }
    pass(ex, req, headers, body);
  }

  private void pass(HttpExchange ex, Request req, Map<String, List<String>> headers, byte[] body) throws IOException {
    HttpResponse<byte[]> r = forward(req.method(), req.pathAndQuery(), headers, body);
    r.headers().map().forEach((k, v) -> {
      if (!HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
        ex.getResponseHeaders().put(k, v);
      }
    });
    boolean noBody = req.method().equals("HEAD") || r.statusCode() == 204 || r.statusCode() == 304;
    if (noBody) {
      r.headers().firstValue("content-length").ifPresent(l -> ex.getResponseHeaders().set("Content-Length", l));
    }
    ex.sendResponseHeaders(r.statusCode(), noBody ? -1 : r.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!noBody) {
        out.write(r.body());
      }
    }
  }

  private HttpResponse<byte[]> forward(String method, String pathAndQuery, Map<String, List<String>> headers,
      byte[] body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + pathAndQuery)).timeout(Duration.ofSeconds(60));
    headers.forEach((k, v) -> {
      if (!HOP.contains(k) && !(method.equals("HEAD") && k.equals("if-none-match"))) {
        v.forEach(value -> b.header(k, value));
      }
    });
    b.method(method, body.length == 0 && !method.equals("PUT") && !method.equals("POST")
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void reply(HttpExchange ex, int status, String xml) throws IOException {
    byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/xml");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
