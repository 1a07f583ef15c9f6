package dev.mailgate.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The custom resource's decisions, on an in-memory region and a recording uploader. */
class ActiveReceiptRuleSetHandlerTest {
  /** One region's active rule set, with a log of the calls that changed it. */
  static final class Region implements ReceiptRuleSets {
    String active;
    final List<String> changes = new ArrayList<>();
    RuntimeException failure;

    Region(String active) {
      this.active = active;
    }

    @Override
    public Optional<String> active() {
      if (failure != null) {
        throw failure;
      }
      return Optional.ofNullable(active);
    }

    @Override
    public void activate(String ruleSetName) {
      changes.add("activate " + ruleSetName);
      active = ruleSetName;
    }

    @Override
    public void deactivate() {
      changes.add("deactivate");
      active = null;
    }
  }

  static final class Uploads implements ResponseUploader {
    final List<URI> urls = new ArrayList<>();
    final List<Map<String, Object>> bodies = new ArrayList<>();
    boolean fail;

    @Override
    public void put(URI url, byte[] body) throws IOException {
      if (fail) {
        throw new IOException("HTTP 403");
      }
      urls.add(url);
      bodies.add(JSON.std.mapFrom(body));
    }
  }

  private final Uploads uploads = new Uploads();

  private static Map<String, Object> event(String type, String physicalId, Map<String, Object> props,
      Map<String, Object> oldProps) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("RequestType", type);
    e.put("ServiceToken", "arn:aws:lambda:eu-west-1:111122223333:function:activate");
    e.put("ResponseURL", "https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/x?X-Amz-Signature=abc");
    e.put("StackId", "arn:aws:cloudformation:eu-west-1:111122223333:stack/mg/1");
    e.put("RequestId", "req-1");
    e.put("LogicalResourceId", "ActiveReceiptRuleSet");
    e.put("ResourceType", "Custom::ActiveReceiptRuleSet");
    if (physicalId != null) {
      e.put("PhysicalResourceId", physicalId);
    }
    e.put("ResourceProperties", props);
    if (oldProps != null) {
      e.put("OldResourceProperties", oldProps);
    }
    return e;
  }

  private static Map<String, Object> props(String name, String replace) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("ServiceToken", "arn:aws:lambda:eu-west-1:111122223333:function:activate");
    if (name != null) {
      p.put("RuleSetName", name);
    }
    if (replace != null) {
      p.put("ReplaceActive", replace);
    }
    return p;
  }

  private Map<String, Object> run(Region region, Map<String, Object> event) {
    Map<String, Object> answer = new ActiveReceiptRuleSetHandler(region, uploads).handleRequest(event, null);
    assertThat(uploads.bodies).last().isEqualTo(answer);
    assertThat(uploads.urls).last().isEqualTo(URI.create((String) event.get("ResponseURL")));
    return answer;
  }

  @Test
  void createActivatesWhenNoRuleSetIsActive() {
    Region region = new Region(null);
    Map<String, Object> answer = run(region, event("Create", null, props("mg-rules", "false"), null));
    assertThat(answer).containsEntry("Status", "SUCCESS").containsEntry("PhysicalResourceId", "mg-rules")
        .containsEntry("StackId", "arn:aws:cloudformation:eu-west-1:111122223333:stack/mg/1")
        .containsEntry("RequestId", "req-1").containsEntry("LogicalResourceId", "ActiveReceiptRuleSet");
    assertThat(region.changes).containsExactly("activate mg-rules");
  }

  @Test
  void createRefusesToReplaceAnotherActiveRuleSet() {
    Region region = new Region("their-rules");
    Map<String, Object> answer = run(region, event("Create", null, props("mg-rules", "false"), null));
    assertThat(answer).containsEntry("Status", "FAILED").containsEntry("PhysicalResourceId", "mg-rules");
    assertThat((String) answer.get("Reason")).contains("their-rules is active")
        .contains("ReplaceActiveRuleSet=true").contains("ExistingRuleSetName=their-rules");
    assertThat(region.changes).isEmpty();
    assertThat(region.active).isEqualTo("their-rules");
  }

  @Test
  void createReplacesAnotherActiveRuleSetWhenAllowed() {
    Region region = new Region("their-rules");
    Map<String, Object> answer = run(region, event("Create", null, props("mg-rules", "true"), null));
    assertThat(answer).containsEntry("Status", "SUCCESS");
    assertThat((String) answer.get("Reason")).contains("replacing their-rules");
    assertThat(region.active).isEqualTo("mg-rules");
  }

  @Test
  void createOfTheActiveRuleSetChangesNothing() {
    Region region = new Region("mg-rules");
    assertThat(run(region, event("Create", null, props("mg-rules", "false"), null)))
        .containsEntry("Status", "SUCCESS");
    assertThat(region.changes).isEmpty();
  }

  @Test
  void updateToANewNameReplacesTheRuleSetThisResourceActivated() {
    Region region = new Region("old-rules");
    Map<String, Object> answer = run(region,
        event("Update", "old-rules", props("new-rules", "false"), props("old-rules", "false")));
    assertThat(answer).containsEntry("Status", "SUCCESS").containsEntry("PhysicalResourceId", "new-rules");
    assertThat(region.active).isEqualTo("new-rules");
    // CloudFormation then deletes the old physical ID: the old set is no longer active, so nothing happens.
    assertThat(run(region, event("Delete", "old-rules", props("old-rules", "false"), null)))
        .containsEntry("Status", "SUCCESS");
    assertThat(region.changes).containsExactly("activate new-rules");
  }

  @Test
  void updateDoesNotTakeBackARuleSetSomeoneElseActivatedSince() {
    Region region = new Region("their-rules");
    Map<String, Object> answer = run(region,
        event("Update", "mg-rules", props("mg-rules", "false"), props("mg-rules", "false")));
    assertThat(answer).containsEntry("Status", "FAILED");
    assertThat(region.changes).isEmpty();
  }

  @Test
  void deleteDeactivatesOnlyWhileStillActive() {
    Region ours = new Region("mg-rules");
    assertThat(run(ours, event("Delete", "mg-rules", props("mg-rules", "false"), null)))
        .containsEntry("Status", "SUCCESS").containsEntry("PhysicalResourceId", "mg-rules");
    assertThat(ours.changes).containsExactly("deactivate");

    Region theirs = new Region("their-rules");
    assertThat(run(theirs, event("Delete", "mg-rules", props("mg-rules", "false"), null)))
        .containsEntry("Status", "SUCCESS");
    assertThat(theirs.changes).isEmpty();
    assertThat(theirs.active).isEqualTo("their-rules");
  }

  @Test
  void deleteAfterAFailedCreateWithoutPhysicalIdSucceeds() {
    Region region = new Region("their-rules");
    assertThat(run(region, event("Delete", null, Map.of(), null))).containsEntry("Status", "SUCCESS");
    assertThat(region.changes).isEmpty();
  }

  @Test
  void badPropertiesAndSesErrorsAreAnsweredAsFailed() {
    assertThat(run(new Region(null), event("Create", null, props(null, "false"), null)))
        .containsEntry("Status", "FAILED").containsEntry("Reason", "RuleSetName: missing")
        .containsEntry("PhysicalResourceId", "ActiveReceiptRuleSet");
    assertThat(run(new Region(null), event("Create", null, props("mg-rules", "yes"), null)))
        .containsEntry("Status", "FAILED");
    Region broken = new Region(null);
    broken.failure = new IllegalStateException("SES: access denied");
    assertThat(run(broken, event("Delete", "mg-rules", props("mg-rules", "false"), null)))
        .containsEntry("Status", "FAILED").containsEntry("Reason", "IllegalStateException: SES: access denied");
    assertThat(run(new Region(null), event("Replace", null, props("mg-rules", "false"), null)))
        .containsEntry("Status", "FAILED");
  }

  @Test
  void aLongReasonIsCutSoTheResponseStaysUnderCloudFormationsLimit() {
    Region broken = new Region(null);
    broken.failure = new IllegalStateException("x".repeat(10_000));
    Map<String, Object> answer = run(broken, event("Create", null, props("mg-rules", "false"), null));
    assertThat((String) answer.get("Reason")).hasSizeLessThan(1100);
  }

  @Test
  void aRequestWithoutResponseUrlFailsTheInvocation() {
    Map<String, Object> e = event("Create", null, props("mg-rules", "false"), null);
    e.remove("ResponseURL");
    assertThatThrownBy(() -> new ActiveReceiptRuleSetHandler(new Region(null), uploads).handleRequest(e, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ResponseURL: missing");
    assertThat(uploads.bodies).isEmpty();
  }

  @Test
  void anUndeliverableResponseFailsTheInvocationSoLambdaRetries() {
    uploads.fail = true;
    assertThatThrownBy(() -> new ActiveReceiptRuleSetHandler(new Region(null), uploads)
        .handleRequest(event("Create", null, props("mg-rules", "false"), null), null))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("HTTP 403");
  }
}
