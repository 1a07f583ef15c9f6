package dev.mailgate.dns;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A small DNS server for tests: UDP and TCP on one ephemeral port of 127.0.0.1, answering the way a
 * recursive resolver would from the records it holds (RA set, CNAME chains followed inside the
 * answer, an SOA in the authority section of negative answers so they can be cached, RFC 2308).
 *
 * <p>Per name it can also answer SERVFAIL, never answer, or drop the first few UDP queries. A UDP
 * answer larger than the client allows (its EDNS payload size, else 512 octets, RFC 6891 section
 * 6.2.5) goes out as header and question only with TC set, so the client has to ask again over TCP.
 * Every query is logged as {@code "udp TXT name"} or {@code "tcp TXT name"}. Thread-safe.
 */
public final class TestDnsServer implements AutoCloseable {
  private static final int PLAIN_UDP_LIMIT = 512; // RFC 1035 section 4.2.1
  private static final int MAX_CHAIN = 20;

  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
  private final Set<Name> blackhole = ConcurrentHashMap.newKeySet();
  private final Map<Name, AtomicInteger> dropFirstUdp = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final SOARecord soa;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private volatile boolean followCnames = true;

  private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    soa = new SOARecord(Name.root, DClass.IN, 60, Name.fromConstantString("ns.test."),
        Name.fromConstantString("hostmaster.test."), 1, 3600, 600, 86400, 60);
    startThread("test-dns-udp", this::serveUdp);
    startThread("test-dns-tcp", this::acceptTcp);
  }

  /** UDP on an ephemeral port, then TCP on the same one; rarely that port is taken for TCP: try again. */
  private static TestDnsServer open() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try {
        ServerSocket tcp = new ServerSocket();
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
        return new TestDnsServer(udp, tcp);
      } catch (IOException e) {
        udp.close();
        last = e;
      }
    }
    throw last;
  }

  /** A running server holding the records of {@code zoneText} (master file format, origin the root). */
  public static TestDnsServer start(String zoneText) throws IOException {
    TestDnsServer server = open();
    try (Master master = new Master(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.ISO_8859_1)), Name.root, 300)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        server.add(r);
      }
    }
    return server;
  }

  /** Where to send queries, as a {@code "HOST:PORT"} string. */
  public String hostPort() {
    return "127.0.0.1:" + udp.getLocalPort();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
  }

  void add(Record record) {
    records.computeIfAbsent(record.getName(), k -> new CopyOnWriteArrayList<>()).add(record);
  }

  /** Every query for {@code name} gets SERVFAIL. */
  void servfail(String name) {
    servfail.add(name(name));
  }

  /** Queries for {@code name} are read and never answered (UDP and TCP). */
  void blackhole(String name) {
    blackhole.add(name(name));
  }

  /** The first {@code count} UDP queries for {@code name} are dropped; later ones are answered. */
  void dropFirstUdp(String name, int count) {
    dropFirstUdp.put(name(name), new AtomicInteger(count));
  }

  /** When off, an answer holds only the first CNAME and the client must follow it itself. */
  void followCnames(boolean on) {
    followCnames = on;
  }

  /** The queries received so far, oldest first: {@code "udp TXT name"}, the name lower-case without dot. */
  List<String> queries() {
    return List.copyOf(queries);
  }

  /** How many queries for this type and name arrived, over UDP and TCP together. */
  long count(String type, String name) {
    return count("udp", type, name) + count("tcp", type, name);
  }

  /** How many queries for this type and name arrived over one transport ("udp" or "tcp"). */
  long count(String transport, String type, String name) {
    String entry = transport + " " + type + " " + name.toLowerCase(Locale.ROOT);
    return queries.stream().filter(entry::equals).count();
  }

  void clearQueries() {
    queries.clear();
  }

  @Override
  public void close() {
    udp.close();
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing: nothing to do
      }
    }
  }

  private static Name name(String name) {
    return Name.fromConstantString(name.endsWith(".") ? name : name + ".");
  }

  private static void startThread(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!udp.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        Message response = respond(query, "udp");
        if (response == null) {
          continue;
        }
        byte[] wire = response.toWire();
        if (wire.length > udpLimit(query)) {
          wire = truncated(query).toWire();
        }
        udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        // an unparseable packet: ignore it, as a server would
      }
    }
  }

  private void acceptTcp() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        connections.add(s);
        startThread("test-dns-tcp-conn", () -> serveTcp(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** RFC 1035 section 4.2.2: each message is preceded by its length in two octets. */
  private void serveTcp(Socket socket) {
    try (socket;
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
      while (true) {
        byte[] wire = new byte[in.readUnsignedShort()];
        in.readFully(wire);
        Message response = respond(new Message(wire), "tcp");
        if (response != null) {
          byte[] answer = response.toWire();
          out.writeShort(answer.length);
          out.write(answer);
          out.flush();
        }
      }
    } catch (EOFException | SocketException e) {
      // the client closed the connection, or the server is closing
    } catch (IOException e) {
      // an unparseable query: drop the connection
    } finally {
      connections.remove(socket);
    }
  }

  private static int udpLimit(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? PLAIN_UDP_LIMIT : Math.max(PLAIN_UDP_LIMIT, opt.getPayloadSize());
  }

  private static Message truncated(Message query) {
    Message m = header(query);
    m.getHeader().setFlag(Flags.TC);
    return m;
  }

  private static Message header(Message query) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      m.getHeader().setFlag(Flags.RD);
    }
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  /** The response to send, or null for none. */
  private Message respond(Message query, String transport) {
    Record question = query.getQuestion();
    Name qname = question.getName();
    queries.add(transport + " " + Type.string(question.getType()) + " "
        + qname.toString(true).toLowerCase(Locale.ROOT));
    if (blackhole.contains(qname)) {
      return null;
    }
    AtomicInteger drops = dropFirstUdp.get(qname);
    if (transport.equals("udp") && drops != null && drops.getAndDecrement() > 0) {
      return null;
    }
    Message response = header(query);
    Name current = qname;
    Set<Name> seen = new HashSet<>();
    for (int hop = 0; hop < MAX_CHAIN && seen.add(current); hop++) {
      if (servfail.contains(current)) {
        Message failed = header(query);
        failed.getHeader().setRcode(Rcode.SERVFAIL);
        return failed;
      }
      List<Record> atName = records.get(current);
      if (atName == null) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(soa, Section.AUTHORITY);
        return response;
      }
      List<Record> matching = new ArrayList<>();
      Record cname = null;
      for (Record r : atName) {
        if (r.getType() == question.getType()) {
          matching.add(r);
        } else if (r.getType() == Type.CNAME) {
          cname = r;
        }
      }
      if (!matching.isEmpty()) {
        matching.forEach(r -> response.addRecord(r, Section.ANSWER));
        return response;
      }
      if (cname == null) {
        response.addRecord(soa, Section.AUTHORITY); // NODATA: NOERROR, no answer
        return response;
      }
      response.addRecord(cname, Section.ANSWER);
      if (!followCnames) {
        return response;
      }
      current = ((CNAMERecord) cname).getTarget();
    }
    return response; // a CNAME loop or a very long chain: the CNAMEs seen so far
  }
}
