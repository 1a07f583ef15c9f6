package dev.mailgate.aws.deploy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * The handler of the template's {@code Custom::ActiveReceiptRuleSet}
 * ({@code dev.mailgate.aws.deploy.ActiveReceiptRuleSetHandler::handleRequest}): CloudFormation cannot make a
 * receipt rule set the active one, so this does.
 *
 * <ul>
 *   <li>Create, Update: activates the rule set named by the property {@value #RULE_SET_NAME}. When another
 *       rule set is active, its rules would stop receiving mail, so this fails unless {@value #REPLACE_ACTIVE}
 *       is {@code true} or the active one is the one this resource activated before (an Update).
 *   <li>Delete: deactivates the rule set only if it is still the active one (SES refuses to delete the active
 *       rule set, and one activated by someone else since is left alone).
 * </ul>
 *
 * <p>The physical resource ID is the rule set's name. Every request is answered (SUCCESS or FAILED with the
 * reason) by a PUT to its ResponseURL, since CloudFormation otherwise waits an hour; only a request without a
 * usable ResponseURL fails the invocation. Thread-safe.
 */
public final class ActiveReceiptRuleSetHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  /** The property naming the rule set to activate. */
  public static final String RULE_SET_NAME = "RuleSetName";
  /** The property allowing to replace another active rule set: "true" or "false" (default). */
  public static final String REPLACE_ACTIVE = "ReplaceActive";

  private final Supplier<ReceiptRuleSets> ruleSets;
  private final ResponseUploader uploader;

  /** The handler Lambda instantiates: SES in the function's region (AWS_REGION), the url-connection client. */
  public ActiveReceiptRuleSetHandler() {
    this(lazy(() -> new SesReceiptRuleSets(SesClient.builder().httpClient(UrlConnectionHttpClient.create()).build())),
        PresignedUrlUploader.create());
  }

  /** A handler on given rule sets and uploader (tests). */
  public ActiveReceiptRuleSetHandler(ReceiptRuleSets ruleSets, ResponseUploader uploader) {
    this(() -> ruleSets, uploader);
  }

  private ActiveReceiptRuleSetHandler(Supplier<ReceiptRuleSets> ruleSets, ResponseUploader uploader) {
    this.ruleSets = ruleSets;
    this.uploader = uploader;
  }

  /** Answers the request and returns what was sent to CloudFormation. */
  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    CustomResourceRequest request;
    try {
      request = CustomResourceRequest.fromMap(event);
    } catch (IllegalArgumentException e) {
      // Without a request to answer there is nobody to tell: fail loudly in the log.
      log("malformed custom resource request: " + e.getMessage());
      throw e;
    }
    CustomResourceResponse response = respond(request);
    log(request.requestType() + " " + request.logicalResourceId() + ": " + response.status() + " ("
        + response.toMap().get("Reason") + ")");
    try {
      uploader.put(request.responseUrl(), response.toJson());
    } catch (IOException e) {
      log("could not deliver the response to CloudFormation: " + e.getMessage());
      throw new UncheckedIOException(e);
    }
    return response.toMap();
  }

  /** What to answer, after doing what the request asks; never throws. */
  public CustomResourceResponse respond(CustomResourceRequest request) {
    try {
      switch (request.requestType()) {
        case "Create":
        case "Update":
          return activate(request);
        case "Delete":
          return deactivate(request);
        default:
          return CustomResourceResponse.failed(request, physicalId(request),
              "unknown RequestType '" + request.requestType() + "'");
      }
    } catch (RuntimeException e) {
      return CustomResourceResponse.failed(request, physicalId(request),
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private CustomResourceResponse activate(CustomResourceRequest request) {
    String name = request.properties().get(RULE_SET_NAME);
    if (name == null || name.isBlank()) {
      return CustomResourceResponse.failed(request, physicalId(request), RULE_SET_NAME + ": missing");
    }
    String replaceText = request.properties().getOrDefault(REPLACE_ACTIVE, "false");
    if (!replaceText.equals("true") && !replaceText.equals("false")) {
      return CustomResourceResponse.failed(request, name, REPLACE_ACTIVE + ": must be true or false, not '"
          + replaceText + "'");
    }
    ReceiptRuleSets sets = ruleSets.get();
    Optional<String> active = sets.active();
    if (active.isPresent() && active.get().equals(name)) {
      return CustomResourceResponse.success(request, name, "rule set " + name + " is already active");
    }
    boolean activatedBefore = "Update".equals(request.requestType()) && active.isPresent()
        && active.get().equals(request.oldProperties().get(RULE_SET_NAME));
    if (active.isPresent() && !activatedBefore && !replaceText.equals("true")) {
      return CustomResourceResponse.failed(request, name, "receipt rule set " + active.get()
          + " is active in this region; activating " + name + " would stop its rules. Deploy with"
          + " ReplaceActiveRuleSet=true to replace it, or ExistingRuleSetName=" + active.get()
          + " to add the gateway's rule to it");
    }
    sets.activate(name);
    return CustomResourceResponse.success(request, name, "activated rule set " + name
        + active.map(a -> " (replacing " + a + ")").orElse(""));
  }

  private CustomResourceResponse deactivate(CustomResourceRequest request) {
    String name = request.physicalResourceId();
    if (name == null || name.isBlank()) {
      return CustomResourceResponse.success(request, request.logicalResourceId(), "nothing was activated");
    }
    ReceiptRuleSets sets = ruleSets.get();
    Optional<String> active = sets.active();
    if (active.isEmpty() || !active.get().equals(name)) {
      return CustomResourceResponse.success(request, name, "rule set " + name + " is not active ("
          + active.map(a -> a + " is").orElse("none is") + "): left as it is");
    }
    sets.deactivate();
    return CustomResourceResponse.success(request, name, "deactivated rule set " + name);
  }

  /** The ID to answer with when the request could not be carried out. */
  private static String physicalId(CustomResourceRequest request) {
    if (request.physicalResourceId() != null) {
      return request.physicalResourceId();
    }
    String name = request.properties().get(RULE_SET_NAME);
    return name != null && !name.isBlank() ? name : request.logicalResourceId();
  }

  private static void log(String line) {
    System.out.println("mailgate activate-rule-set: " + line);
  }

  private static <T> Supplier<T> lazy(Supplier<T> make) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = make.get();
        }
        return value;
      }
    };
  }
}
