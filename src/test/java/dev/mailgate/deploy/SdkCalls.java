package dev.mailgate.deploy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AWS SDK calls the main code makes (found in its bytecode with ArchUnit), and the IAM actions each
 * needs. A client method missing from {@link #ACTIONS} is reported, so a new call cannot slip past the
 * policy check.
 */
final class SdkCalls {
  private SdkCalls() {}

  static final String S3 = "software.amazon.awssdk.services.s3.S3Client";
  static final String SES_V2 = "software.amazon.awssdk.services.sesv2.SesV2Client";
  static final String SES = "software.amazon.awssdk.services.ses.SesClient";

  /**
   * Client method to IAM actions. S3 without s3:ListBucket answers 403 instead of 404 for a missing key;
   * S3MessageStore tells "no such key" from 404, so a GetObject needs ListBucket on the bucket too.
   * CopyObject reads the source and writes the copy with the tags given (TaggingDirective REPLACE). SES v2
   * SendEmail with raw content is authorized as ses:SendRawEmail (and as ses:SendEmail for simple content).
   */
  static final Map<String, List<String>> ACTIONS = Map.ofEntries(
      Map.entry(S3 + ".getObject", List.of("s3:GetObject", "s3:ListBucket")),
      Map.entry(S3 + ".getObjectAsBytes", List.of("s3:GetObject", "s3:ListBucket")),
      Map.entry(S3 + ".headObject", List.of("s3:GetObject", "s3:ListBucket")),
      // The sweep lists the message prefix; report aggregate and report summary list records and reports.
      Map.entry(S3 + ".listObjectsV2", List.of("s3:ListBucket")),
      Map.entry(S3 + ".getObjectTagging", List.of("s3:GetObjectTagging")),
      Map.entry(S3 + ".putObjectTagging", List.of("s3:PutObjectTagging")),
      Map.entry(S3 + ".putObject", List.of("s3:PutObject")),
      Map.entry(S3 + ".copyObject", List.of("s3:GetObject", "s3:PutObject", "s3:PutObjectTagging")),
      Map.entry(S3 + ".deleteObject", List.of("s3:DeleteObject")),
      Map.entry(SES_V2 + ".sendEmail", List.of("ses:SendEmail", "ses:SendRawEmail")),
      Map.entry(SES + ".sendBounce", List.of("ses:SendBounce")),
      Map.entry(SES + ".sendRawEmail", List.of("ses:SendRawEmail")),
      Map.entry(SES + ".setActiveReceiptRuleSet", List.of("ses:SetActiveReceiptRuleSet")),
      Map.entry(SES + ".describeActiveReceiptRuleSet", List.of("ses:DescribeActiveReceiptRuleSet")));

  /** Client methods that are no API call. */
  static final Set<String> LOCAL = Set.of("builder", "create", "close", "serviceName", "serviceClientConfiguration", "utilities", "waiter");

  /**
   * One call site.
   *
   * @param caller the calling class
   * @param method the client and method, e.g. software.amazon.awssdk.services.s3.S3Client.getObject
   */
  record Call(String caller, String method, String location) {}

  private static JavaClasses mainClasses;

  static synchronized JavaClasses mainClasses() {
    if (mainClasses == null) {
      // The compiled main classes only (target/classes), without resolving the libraries they use: the
      // call targets' names are all this needs, and resolving the SDK takes seconds. The setting is
      // global, so it is restored at once.
      com.tngtech.archunit.ArchConfiguration config = com.tngtech.archunit.ArchConfiguration.get();
      boolean resolve = config.resolveMissingDependenciesFromClassPath();
      config.setResolveMissingDependenciesFromClassPath(false);
      try {
        mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(java.nio.file.Path.of("target/classes/dev/mailgate"));
      } finally {
        config.setResolveMissingDependenciesFromClassPath(resolve);
      }
    }
    return mainClasses;
  }

  /** Every call of an S3, SES or SES v2 client method in the main code. */
  static List<Call> calls() {
    List<Call> out = new ArrayList<>();
    for (JavaClass c : mainClasses()) {
      for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
        String owner = call.getTargetOwner().getName();
        if (owner.equals(S3) || owner.equals(SES_V2) || owner.equals(SES)) {
          if (!LOCAL.contains(call.getName())) {
            out.add(new Call(c.getName(), owner + "." + call.getName(), call.getSourceCodeLocation().toString()));
          }
        }
      }
    }
    return out;
  }

  /** The IAM actions the calls from classes in {@code packagePrefix} need; unmapped methods go to {@code unmapped}. */
  static Set<String> actionsNeeded(List<Call> calls, java.util.function.Predicate<String> callerFilter,
      List<String> unmapped) {
    Set<String> out = new TreeSet<>();
    for (Call c : calls) {
      if (!callerFilter.test(c.caller())) {
        continue;
      }
      List<String> a = ACTIONS.get(c.method());
      if (a == null) {
        unmapped.add(c.method() + " at " + c.location());
      } else {
        out.addAll(a);
      }
    }
    return out;
  }
}
