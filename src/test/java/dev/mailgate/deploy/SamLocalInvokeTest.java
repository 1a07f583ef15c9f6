package dev.mailgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.authres.Authenticator;
import dev.mailgate.aws.Config;
import dev.mailgate.aws.GatewayRuntime;
import dev.mailgate.aws.LocalContext;
import dev.mailgate.dns.DnsFixture;
import dev.mailgate.gateway.DeadlineResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.GatewayLog;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.PolicyConfigParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code sam local invoke FUNCTION --env-vars events/env.json -e EVENT} that docs/DEPLOY.md gives,
 * run as SAM would run it, offline: the handler the template names for FUNCTION, instantiated and called
 * reflectively like the Lambda runtime does; its environment from events/env.json, read by
 * Config.fromEnvironment; the event deserialized by aws-lambda-java-tests' EventLoader (the runtime's own
 * serializer). What differs, so that it runs without AWS: the bucket env.json names is the folder
 * events/bucket (writes go to a temporary overlay), SES and SMTP are an outbox, and DNS is the sample
 * fixture events/dns-fixture.zone (sam local invoke would ask real DNS).
 */
class SamLocalInvokeTest {
  private static final Pattern COMMAND = Pattern.compile(
      "sam local invoke (\\w+) --env-vars (events/env\\.json) -e (events/[\\w.-]+\\.json)");
  private static final Path DOCS = Path.of("docs/DEPLOY.md");

  record Invocation(String function, String envFile, String event) {}

  @TempDir Path state;

  static List<Invocation> documented() throws Exception {
    List<Invocation> out = new ArrayList<>();
    Matcher m = COMMAND.matcher(Files.readString(DOCS));
    while (m.find()) {
      Invocation i = new Invocation(m.group(1), m.group(2), m.group(3));
      if (!out.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> env(String function) throws Exception {
    Map<String, Object> all = JSON.std.mapFrom(Files.readAllBytes(Path.of("events/env.json")));
    Object fn = all.get(function);
    assertThat(fn).as("events/env.json has an entry for the function's logical ID " + function).isInstanceOf(Map.class);
    Map<String, String> env = new HashMap<>();
    ((Map<String, Object>) fn).forEach((k, v) -> env.put(k, String.valueOf(v)));
    return env;
  }

  @Test
  void theDocsGiveTheSesEvents() throws Exception {
    assertThat(documented()).extracting(Invocation::event).contains("events/ses-sync.json", "events/ses-async.json");
    assertThat(documented()).extracting(Invocation::function).containsOnly(TemplateIamTest.GATEWAY);
  }

  @Test
  void envJsonSetsOnlyVariablesTheTemplateDeclares() throws Exception {
    // sam local invoke --env-vars overrides only variables the template declares for the function.
    assertThat(env(TemplateIamTest.GATEWAY).keySet())
        .isSubsetOf(EnvironmentCheck.variables(TemplateFile.parsed(), TemplateIamTest.GATEWAY));
  }

  @Test
  void envJsonCarriesTheSampleConfiguration() throws Exception {
    Config c = config(env(TemplateIamTest.GATEWAY));
    assertThat(c.configInline()).isNotNull();
    assertThat(PolicyConfigParser.parse(c.configInline(), Config.CONFIG))
        .isEqualTo(PolicyConfigParser.parse(Files.readAllBytes(Path.of("events/config.json")), "events/config.json"));
  }

  private static Config config(Map<String, String> env) {
    Map<String, String> withRegion = new HashMap<>(env);
    withRegion.put(Config.AWS_REGION, "us-east-1"); // sam local invoke sets it from the profile or --region
    return Config.fromEnvironment(withRegion);
  }

  @TestFactory
  Stream<DynamicTest> eachDocumentedInvocationRunsThroughTheTemplatesHandler() throws Exception {
    Map<String, String> handlers = HandlerCheck.handlers(TemplateFile.parsed());
    return documented().stream().map(inv -> DynamicTest.dynamicTest(inv.function() + " " + inv.event(), () -> {
      Path overlay = Files.createDirectories(state.resolve(inv.event().replace('/', '_')));
      Config c = config(env(inv.function()));
      PolicyConfig pc = PolicyConfigParser.parse(c.configInline(), Config.CONFIG);
      Clock clock = Clock.systemUTC();
      DeadlineResolver dns = new DeadlineResolver(DnsFixture.load(Path.of("events/dns-fixture.zone")), clock);
      OutboxSender outbox = OutboxSender.inMemory();
      Gateway gateway = Gateway.builder().policy(Policy.of(pc)).authenticator(new Authenticator(dns, clock), dns)
          .store(new BucketFolder(c.bucket(), Path.of("events/bucket"), overlay)).sender(outbox).clock(clock)
          .log(GatewayLog.NONE).maxMessageBytes(c.maxMessageBytes()).relayPassword(c.relayPassword()).build();
      GatewayRuntime rt = new GatewayRuntime(gateway, c.bucket(), c.objectPrefix(),
          Duration.ofMillis(c.syncTimeoutMillis()), Duration.ofMillis(c.safetyMarginMillis()), clock, GatewayLog.NONE);

      String[] handler = handlers.get(inv.function()).split("::");
      Class<?> type = Class.forName(handler[0]);
      Object instance = type.getConstructor(GatewayRuntime.class).newInstance(rt);
      Method method = type.getMethod(handler[1], Map.class, Context.class);
      Map<?, ?> event = EventLoader.loadEvent(inv.event(), Map.class);
      boolean sync = inv.event().contains("sync") && !inv.event().contains("async");
      Object answer;
      try {
        // The function's timeout as the template sets it: 30 s synchronous, 90 s asynchronous.
        answer = method.invoke(instance, event, new LocalContext(sync ? 30_000 : 90_000, System.err));
      } catch (InvocationTargetException e) {
        throw new AssertionError(inv + " failed the invocation", e.getCause());
      }
      assertThat(answer).isInstanceOf(Map.class);
      assertThat(((Map<?, ?>) answer).get("disposition")).isIn("CONTINUE", "STOP_RULE", "STOP_RULE_SET");
      expect(inv.event(), (Map<?, ?>) answer, outbox, overlay, pc);
    }));
  }

  /** What each sample event does with the sample configuration (a new documented event needs an entry). */
  private static void expect(String event, Map<?, ?> answer, OutboxSender outbox, Path overlay, PolicyConfig pc) {
    switch (event) {
      case "events/ses-sync.json":
        assertThat(answer.get("disposition")).isEqualTo("CONTINUE");
        assertThat(outbox.sent()).singleElement().satisfies(s -> {
          assertThat(s.kind()).isEqualTo("forward");
          assertThat(s.to()).containsExactly("bob@elsewhere.example");
        });
        break;
      case "events/ses-async.json":
        assertThat(outbox.sent()).isEmpty();
        assertThat(overlay.resolve(pc.quarantine().prefix() + "k3n8qv1t0m5p2r7s9u4w6y8a0c2e4g6i8k0m2o4q")).exists();
        break;
      default:
        throw new AssertionError("docs/DEPLOY.md invokes " + event + ": say here what it must do");
    }
  }
}
