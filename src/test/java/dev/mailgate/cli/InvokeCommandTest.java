package dev.mailgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailgate invoke} as the README runs it: the sample events offline, text and JSON, exit codes. */
class InvokeCommandTest {
  @TempDir Path tmp;

  private VerifyCommandTest.Run invoke(String... more) {
    String[] base = {"invoke", "--dns-fixture", "events/dns-fixture.zone", "--config", "events/config.json",
        "--outbox", tmp.resolve("outbox").toString()};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return VerifyCommandTest.run(args);
  }

  @Test
  void theReadmeCommandShowsTheVerdictAndTheActions() throws IOException {
    VerifyCommandTest.Run r = invoke("events/ses-sync.json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("events/ses-sync.json: SES event, synchronous (RequestResponse)")
        .contains("verdict:  deliver (rule clean)")
        .contains("forward: bob@mailgate.example -> bob@elsewhere.example: done")
        .contains("state:    delivered")
        .contains("SES disposition: CONTINUE");
    try (Stream<Path> files = Files.list(tmp.resolve("outbox"))) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-forward-e0a2f9852119c631.eml"))
          .anyMatch(n -> n.endsWith(".envelope.json"));
    }
  }

  @Test
  void everySampleEventAsJson() throws IOException {
    VerifyCommandTest.Run r = invoke("--json", "events/ses-sync.json", "events/ses-async.json", "events/s3-put.json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<Map<String, Object>> lines = r.json();
    assertThat(lines).extracting(l -> l.get("trigger")).containsExactly("ses", "ses", "s3");
    assertThat(lines).extracting(l -> l.get("disposition")).containsExactly("CONTINUE", "STOP_RULE_SET", null);
    assertThat(lines).extracting(l -> state(l)).containsExactly("delivered", "quarantined", "tagged");
  }

  @Test
  void withAStateFolderASecondRunDeliversNothingAgain() throws IOException {
    Path state = tmp.resolve("state");
    assertThat(invoke("--state-dir", state.toString(), "events/ses-sync.json").out()).contains("state:    delivered");
    VerifyCommandTest.Run again = invoke("--state-dir", state.toString(), "events/ses-sync.json");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("already processed (state delivered): nothing done");
    assertThat(Path.of("events/bucket/.mailgate-local")).doesNotExist();
  }

  @Test
  void aMalformedEventIsExitCodeOne() throws IOException {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"Records\": [{\"eventSource\": \"aws:ses\"}]}");
    VerifyCommandTest.Run r = invoke(bad.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT_ERROR);
    assertThat(r.err()).contains("malformed SES event: $.Records[0].ses: expected an object, found null");
    Files.writeString(bad, "not json");
    assertThat(invoke(bad.toString()).err()).contains("cannot read the event");
  }

  @Test
  void aBadConfigurationIsAUsageErrorNamingTheSetting() throws IOException {
    Path cfg = tmp.resolve("config.json");
    Files.writeString(cfg, "{\"domains\": [\"a.example\"], \"routes\": [{\"match\": \"*\", \"forwrd\": \"x@y.example\"}]}");
    VerifyCommandTest.Run r = VerifyCommandTest.run("invoke", "--config", cfg.toString(), "events/ses-sync.json");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("$.routes[0].forwrd: unknown setting (did you mean 'forward'?)");
  }

  @SuppressWarnings("unchecked")
  private static String state(Map<String, Object> line) {
    return (String) ((List<Map<String, Object>>) line.get("outcomes")).get(0).get("state");
  }
}
