package dev.mailgate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IAM policy statements of a template, wherever they are: a SAM function's Policies, IAM roles and
 * policies, bucket, queue and topic policies, KMS key policies. Fn::If is expanded to both branches.
 */
final class PolicyStatements {
  private PolicyStatements() {}

  /** What grants what: identity policies (a role's), resource policies, and key policies ("*" = the key). */
  enum Kind { IDENTITY, RESOURCE, KEY }

  /**
   * One statement.
   *
   * @param owner the logical ID of the resource holding the policy
   * @param path where in the template
   * @param actions the Action (or NotAction) values, Fn::If expanded
   */
  record Statement(String owner, String path, Kind kind, String effect, List<Object> actions, boolean notAction,
      List<Object> resources, Map<String, Object> raw) {
    boolean allows() {
      return "Allow".equals(effect);
    }

    /** The literal action names (intrinsic values left out). */
    List<String> actionNames() {
      List<String> out = new ArrayList<>();
      for (Object a : actions) {
        if (a instanceof String) {
          out.add((String) a);
        }
      }
      return out;
    }
  }

  /** Everything a policy-holding property may hold that is not a policy document, reported as a problem. */
  record Opaque(String path, String what) {}

  @SuppressWarnings("unchecked")
  static List<Statement> all(Map<String, Object> template, List<Opaque> opaque) {
    List<Statement> out = new ArrayList<>();
    Object resources = template.get("Resources");
    if (!(resources instanceof Map)) {
      return out;
    }
    for (Map.Entry<String, Object> r : ((Map<String, Object>) resources).entrySet()) {
      if (!(r.getValue() instanceof Map)) {
        continue;
      }
      Map<String, Object> res = (Map<String, Object>) r.getValue();
      Object props = res.get("Properties");
      if (!(props instanceof Map)) {
        continue;
      }
      Map<String, Object> p = (Map<String, Object>) props;
      String id = r.getKey();
      String base = "Resources." + id + ".Properties";
      switch (String.valueOf(res.get("Type"))) {
        case "AWS::Serverless::Function":
        case "AWS::Serverless::StateMachine":
          if (p.containsKey("Policies")) {
            samPolicies(id, p.get("Policies"), base + ".Policies", out, opaque);
          }
          break;
        case "AWS::IAM::Role":
          int i = 0;
          for (Object pol : Intrinsics.elements(p.get("Policies"))) {
            if (pol instanceof Map) {
              document(id, ((Map<String, Object>) pol).get("PolicyDocument"), base + ".Policies[" + i + "].PolicyDocument",
                  Kind.IDENTITY, out);
            }
            i++;
          }
          if (p.get("ManagedPolicyArns") != null) {
            opaque.add(new Opaque(base + ".ManagedPolicyArns", "managed policies"));
          }
          break;
        case "AWS::IAM::Policy":
        case "AWS::IAM::ManagedPolicy":
          document(id, p.get("PolicyDocument"), base + ".PolicyDocument", Kind.IDENTITY, out);
          break;
        case "AWS::S3::BucketPolicy":
        case "AWS::SQS::QueuePolicy":
        case "AWS::SNS::TopicPolicy":
          document(id, p.get("PolicyDocument"), base + ".PolicyDocument", Kind.RESOURCE, out);
          break;
        case "AWS::KMS::Key":
          document(id, p.get("KeyPolicy"), base + ".KeyPolicy", Kind.KEY, out);
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** SAM's Policies: a document, a managed policy name or ARN, a policy template, or a list of these. */
  @SuppressWarnings("unchecked")
  private static void samPolicies(String owner, Object policies, String path, List<Statement> out,
      List<Opaque> opaque) {
    List<Object> items = policies instanceof List || Intrinsics.function(policies) != null
        ? Intrinsics.elements(policies) : List.of(policies);
    int i = 0;
    for (Object item : items) {
      String at = policies instanceof List ? path + "[" + i + "]" : path;
      if (item instanceof Map && ((Map<String, Object>) item).containsKey("Statement")) {
        document(owner, item, at, Kind.IDENTITY, out);
      } else if (item instanceof String) {
        opaque.add(new Opaque(at, "the managed policy " + item + " (its actions are not in the template)"));
      } else if (item instanceof Map) {
        opaque.add(new Opaque(at, "the SAM policy template " + ((Map<String, Object>) item).keySet()
            + " (its actions are not in the template)"));
      } else {
        opaque.add(new Opaque(at, "a policy that is neither a document nor a name"));
      }
      i++;
    }
  }

  @SuppressWarnings("unchecked")
  private static void document(String owner, Object doc, String path, Kind kind, List<Statement> out) {
    for (Object d : Intrinsics.alternatives(doc)) {
      if (!(d instanceof Map)) {
        continue;
      }
      Object statements = ((Map<String, Object>) d).get("Statement");
      List<Object> list = statements instanceof Map ? List.of(statements) : Intrinsics.elements(statements);
      int i = 0;
      for (Object s : list) {
        if (s instanceof Map) {
          Map<String, Object> st = (Map<String, Object>) s;
          boolean not = st.containsKey("NotAction");
          out.add(new Statement(owner, path + ".Statement[" + (st.get("Sid") != null ? st.get("Sid") : i) + "]", kind,
              String.valueOf(st.get("Effect")), Intrinsics.elements(not ? st.get("NotAction") : st.get("Action")),
              not, Intrinsics.elements(st.get("Resource")), st));
        }
        i++;
      }
    }
  }
}
