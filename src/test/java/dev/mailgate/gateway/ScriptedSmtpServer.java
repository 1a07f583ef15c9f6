package dev.mailgate.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMTP server on loopback that records the commands and the exact DATA bytes it receives and
 * answers as scripted: where GreenMail cannot show something (the null reverse-path, the message's last
 * line ending, a 4xx reply), this can.
 */
final class ScriptedSmtpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final Thread thread;
  /** Every command line received, in order. */
  final List<String> commands = new CopyOnWriteArrayList<>();
  /** Every message received, as sent in DATA with dot-stuffing undone. */
  final List<byte[]> messages = new CopyOnWriteArrayList<>();
  /** Replies replacing the normal one for a command verb (MAIL, RCPT, DATA-END). */
  final Map<String, String> script = new ConcurrentHashMap<>();

  ScriptedSmtpServer() throws IOException {
    socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "scripted-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        session(s.getInputStream(), s.getOutputStream());
      } catch (IOException e) {
        // closed, or the client went away
      }
    }
  }

  private void session(InputStream in, OutputStream out) throws IOException {
    reply(out, "220 scripted.test ESMTP");
    String line;
    while ((line = readLine(in)) != null) {
      commands.add(line);
      String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
      if (verb.startsWith("MAIL")) {
        verb = "MAIL";
      } else if (verb.startsWith("RCPT")) {
        verb = "RCPT";
      }
      switch (verb) {
        case "EHLO":
          reply(out, "250-scripted.test\r\n250-8BITMIME\r\n250 SIZE 100000000");
          break;
        case "HELO":
          reply(out, "250 scripted.test");
          break;
        case "MAIL":
        case "RCPT":
          reply(out, script.getOrDefault(verb, "250 OK"));
          break;
        case "DATA":
          reply(out, "354 go ahead");
          messages.add(readData(in));
          reply(out, script.getOrDefault("DATA-END", "250 2.0.0 queued as Q1"));
          break;
        case "QUIT":
          reply(out, "221 bye");
          return;
        default:
          reply(out, "250 OK");
      }
    }
  }

  private static byte[] readData(InputStream in) throws IOException {
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    String line;
    while ((line = readLineRaw(in)) != null) {
      if (line.equals(".\r\n")) {
        break;
      }
      byte[] b = (line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1);
      msg.write(b);
    }
    return msg.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    String l = readLineRaw(in);
    return l == null ? null : l.replaceAll("\r?\n$", "");
  }

  /** A line with its line ending, bytes as ISO-8859-1 characters. */
  private static String readLineRaw(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (c == '\n') {
        return sb.toString();
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
