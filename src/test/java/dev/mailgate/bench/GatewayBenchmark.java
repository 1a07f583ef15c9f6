package dev.mailgate.bench;

import dev.mailgate.authres.Authenticator;
import dev.mailgate.dns.DnsFixture;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.gateway.DeadlineResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.Invocation;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.MessageStore;
import dev.mailgate.gateway.ObjectState;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.gateway.Outcome;
import dev.mailgate.gateway.StoreException;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfigParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm per-message processing: the whole pipeline for a 50 KB message (read, envelope, SPF over the sample
 * DNS fixture in memory, policy, From rewrite, forward into an in-memory outbox, delivery marker, state
 * tags), on one thread, as a warm Lambda container runs it.
 *
 * <p>{@code localFolder} uses the local folder store (every message is a hard link to one 50 KB file, so
 * each operation processes a message not seen before: markers and tags are really written);
 * {@code inMemoryStore} replaces the folder by a map, leaving the pipeline's own CPU time. Figures:
 * docs/GATEWAY.md, "Performance". Run with
 *
 * <pre>
 * bench/jmh.sh GatewayBenchmark -f 1 -wi 3 -i 5 -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GatewayBenchmark {
  /** More distinct messages than one iteration processes, so none is ever "already processed". */
  private static final int MESSAGES = 40_000;

  private Path dir;
  private Gateway folderGateway;
  private Gateway memoryGateway;
  private MemoryStore memory;
  private byte[] message;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    message = message50k();
    dir = Files.createTempDirectory("mailgate-bench");
    Path original = dir.resolve("original.eml");
    Files.write(original, message);
    Files.createDirectories(dir.resolve("in"));
    for (int i = 0; i < MESSAGES; i++) {
      Files.createLink(dir.resolve("in/m" + i), original);
    }
    // Query log off: it would grow by every query of every operation.
    InMemoryResolver dns = DnsFixture.builder(Files.readAllBytes(Path.of("events/dns-fixture.zone")), "fixture")
        .logQueries(false).build();
    String config = Files.readString(Path.of("events/config.json"));
    folderGateway = gateway(LocalFolderStore.of(dir), dns, config);
    memory = new MemoryStore(message);
    memoryGateway = gateway(memory, dns, config);
    Outcome check = folderGateway.process(ref(0), Instant.now().plusSeconds(30), invocation());
    if (check.state() != ObjectState.DELIVERED) {
      throw new IllegalStateException("benchmark message not delivered: " + check);
    }
  }

  private static Gateway gateway(MessageStore store, InMemoryResolver dns, String config) throws Exception {
    DeadlineResolver deadlines = new DeadlineResolver(dns, Clock.systemUTC());
    return Gateway.builder().policy(Policy.of(PolicyConfigParser.parse(config, "bench")))
        .authenticator(new Authenticator(deadlines, Clock.systemUTC()), deadlines)
        .store(store).sender(OutboxSender.inMemory()).build();
  }

  @Setup(Level.Iteration)
  public void clearState() throws IOException {
    deleteTree(dir.resolve(".mailgate-local"));
    deleteTree(dir.resolve("mailgate-state"));
    memory.clear();
    next = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    deleteTree(dir);
  }

  private static Invocation invocation() {
    return new Invocation(false, null, null, Instant.now().plusSeconds(60), "bench");
  }

  private static MessageRef ref(int i) {
    return new MessageRef("bench", "in/m" + i, "m" + i);
  }

  @Benchmark
  public Outcome localFolder() {
    int i = next++ % MESSAGES;
    return folderGateway.process(ref(i), Instant.now().plusSeconds(30), invocation());
  }

  @Benchmark
  public Outcome inMemoryStore() {
    int i = next++;
    return memoryGateway.process(ref(i), Instant.now().plusSeconds(30), invocation());
  }

  /** The sample message with a 50 KB body (base64 lines, as an attachment would be). */
  static byte[] message50k() throws IOException {
    String head = Files.readString(Path.of("events/messages/ses-inbound.eml")).replace("\r\n", "\n")
        .replace("\n", "\r\n");
    int split = head.indexOf("\r\n\r\n") + 4;
    StringBuilder sb = new StringBuilder(52 * 1024).append(head, 0, split);
    String line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
    while (sb.length() < 50 * 1024) {
      sb.append(line);
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** A store in a map: every key that is not a marker or a copy holds the benchmark message. */
  static final class MemoryStore implements MessageStore {
    private final byte[] message;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

    MemoryStore(byte[] message) {
      this.message = message;
    }

    void clear() {
      objects.clear();
      tags.clear();
    }

    @Override
    public byte[] fetch(MessageRef ref, long maxBytes, Instant deadline) {
      return message;
    }

    @Override
    public Map<String, String> tags(MessageRef ref, Instant deadline) {
      return tags.getOrDefault(ref.key(), Map.of());
    }

    @Override
    public void putTags(MessageRef ref, Map<String, String> t, Instant deadline) {
      tags.put(ref.key(), t);
    }

    @Override
    public Optional<byte[]> read(MessageRef ref, Instant deadline) {
      return Optional.ofNullable(objects.get(ref.key()));
    }

    @Override
    public boolean createIfAbsent(MessageRef ref, byte[] content, Instant deadline) {
      return objects.putIfAbsent(ref.key(), content) == null;
    }

    @Override
    public void put(MessageRef ref, byte[] content, Instant deadline) {
      objects.put(ref.key(), content);
    }

    @Override
    public void copy(MessageRef from, String toKey, Map<String, String> t, Instant deadline) throws StoreException {
      objects.put(toKey, message);
      tags.put(toKey, t);
    }

    @Override
    public void delete(MessageRef ref, Instant deadline) {
      objects.remove(ref.key());
    }
  }
}
