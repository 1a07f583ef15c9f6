package dev.mailgate.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP endpoint standing in for SES: v2 SendEmail (REST-JSON, {@code POST
 * /v2/email/outbound-emails}) and v1 SendBounce (query protocol, {@code POST /}). It records every call
 * and answers with scripted throttling or server errors before answering normally.
 */
final class FakeSes implements AutoCloseable {
  /** A call received: its action, what it carried, and how it was answered. */
  record Call(String action, String from, List<String> destinations, byte[] raw, Map<String, String> params,
      int status) {}

  /** Jackson refuses strings over 20 MB by default; a 40 MB message is 54 MB of base64. */
  private static final JSON LARGE_JSON = JSON.builder(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxStringLength(200_000_000).build()).build()).build();

  private final HttpServer server;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Deque<Integer> script = new ArrayDeque<>();
  private final AtomicInteger ids = new AtomicInteger();

  FakeSes() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      try {
        handle(ex);
      } catch (IOException | RuntimeException | Error e) {
        e.printStackTrace();
        throw e;
      }
    });
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-ses");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next calls are answered with these statuses (429 throttling, 500 server error), in order. */
  synchronized FakeSes answerNext(int... statuses) {
    for (int s : statuses) {
      script.add(s);
    }
    return this;
  }

  private synchronized Integer scripted() {
    return script.poll();
  }

  /** The calls that SES accepted (status 200). */
  List<Call> accepted() {
    List<Call> out = new ArrayList<>();
    for (Call c : calls) {
      if (c.status() == 200) {
        out.add(c);
      }
    }
    return out;
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String path = ex.getRequestURI().getPath();
    Integer fault = scripted();
    if (path.equals("/v2/email/outbound-emails")) {
      Map<String, Object> req = LARGE_JSON.mapFrom(body);
      @SuppressWarnings("unchecked")
      Map<String, Object> dest = (Map<String, Object>) req.get("Destination");
      @SuppressWarnings("unchecked")
      List<String> to = dest == null ? List.of() : (List<String>) dest.get("ToAddresses");
      @SuppressWarnings("unchecked")
      Map<String, Object> raw = (Map<String, Object>) ((Map<String, Object>) req.get("Content")).get("Raw");
      byte[] bytes = Base64.getDecoder().decode((String) raw.get("Data"));
      int status = fault == null ? 200 : fault;
      calls.add(new Call("SendEmail", (String) req.get("FromEmailAddress"), to, bytes, Map.of(), status));
      if (status == 429) {
        send(ex, 429, "application/json", "{\"message\":\"Maximum sending rate exceeded.\"}",
            "x-amzn-ErrorType", "TooManyRequestsException");
      } else if (status != 200) {
        send(ex, status, "application/json", "{\"message\":\"Internal failure\"}", "x-amzn-ErrorType",
            "InternalFailure");
      } else {
        send(ex, 200, "application/json", "{\"MessageId\":\"fake-" + ids.incrementAndGet() + "\"}", null, null);
      }
      return;
    }
    Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
    String action = form.getOrDefault("Action", "?");
    int status = fault == null ? 200 : fault;
    List<String> rcpts = new ArrayList<>();
    for (int i = 1; form.containsKey("BouncedRecipientInfoList.member." + i + ".Recipient"); i++) {
      rcpts.add(form.get("BouncedRecipientInfoList.member." + i + ".Recipient"));
    }
    calls.add(new Call(action, form.get("BounceSender"), rcpts, null, form, status));
    if (status == 429) {
      send(ex, 400, "text/xml", error("Sender", "Throttling", "Rate exceeded"), null, null);
    } else if (status != 200) {
      send(ex, status, "text/xml", error("Receiver", "InternalFailure", "Internal failure"), null, null);
    } else {
      send(ex, 200, "text/xml", "<SendBounceResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">"
          + "<SendBounceResult><MessageId>bounce-" + ids.incrementAndGet() + "</MessageId></SendBounceResult>"
          + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendBounceResponse>", null, null);
    }
  }

  private static String error(String type, String code, String message) {
    return "<ErrorResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\"><Error><Type>" + type + "</Type><Code>"
        + code + "</Code><Message>" + message + "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  private static void send(HttpExchange ex, int status, String type, String body, String header, String value)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.getResponseHeaders().add("x-amzn-RequestId", "req-" + System.nanoTime());
    if (header != null) {
      ex.getResponseHeaders().add(header, value);
    }
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
