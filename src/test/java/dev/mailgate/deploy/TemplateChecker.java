package dev.mailgate.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a SAM template against the schemas in src/test/resources/aws, without AWS: resource types exist,
 * properties exist for their type and required ones are present (recursively), every Ref, GetAtt, Sub
 * variable, FindInMap, condition and DependsOn points at something that exists (SAM's generated resources
 * included), and IAM statements grant no wildcard action, name real actions, and name resources where the
 * action takes them. Each finding is one line: where, then what.
 */
final class TemplateChecker {
  static final Path SCHEMAS = Path.of("src/test/resources/aws");

  static final Set<String> TOP_LEVEL = Set.of("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters",
      "Rules", "Mappings", "Conditions", "Transform", "Globals", "Resources", "Outputs");
  static final Set<String> RESOURCE_ATTRIBUTES = Set.of("Type", "Properties", "DependsOn", "Condition",
      "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy");
  static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
      "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
  static final Set<String> PARAMETER_TYPES = Set.of("String", "Number", "List<Number>", "CommaDelimitedList");
  static final String SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

  final CfnSpec cfn;
  final SamSchema sam;
  final IamActions iam;

  TemplateChecker(CfnSpec cfn, SamSchema sam, IamActions iam) {
    this.cfn = cfn;
    this.sam = sam;
    this.iam = iam;
  }

  static TemplateChecker load() throws IOException {
    CfnSpec cfn = CfnSpec.load(SCHEMAS.resolve("cloudformation-resource-spec-subset.json"));
    return new TemplateChecker(cfn, SamSchema.load(SCHEMAS.resolve("sam.schema.json"), cfn),
        IamActions.load(SCHEMAS.resolve("iam-actions-subset.json")));
  }

  static boolean isCustom(String type) {
    return type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource");
  }

  /** Everything wrong with the template; empty when it passes. */
  List<String> check(Map<String, Object> template) {
    List<String> problems = new ArrayList<>();
    Scope scope = new Scope(template, this);
    for (String key : template.keySet()) {
      if (!TOP_LEVEL.contains(key)) {
        problems.add(key + ": not a template section");
      }
    }
    if (!(template.get("Resources") instanceof Map) || scope.resources.isEmpty()) {
      problems.add("Resources: a template needs at least one resource");
    }
    scope.parameters.forEach((name, p) -> {
      Object type = p instanceof Map ? ((Map<?, ?>) p).get("Type") : null;
      if (!(type instanceof String) || !(PARAMETER_TYPES.contains(type) || ((String) type).startsWith("AWS::"))) {
        problems.add("Parameters." + name + ".Type: not a parameter type: " + type);
      }
    });
    boolean usesSam = false;
    for (Map.Entry<String, Map<String, Object>> r : scope.resources.entrySet()) {
      String path = "Resources." + r.getKey();
      Map<String, Object> res = r.getValue();
      Object typeValue = res.get("Type");
      if (!(typeValue instanceof String)) {
        problems.add(path + ".Type: missing");
        continue;
      }
      String type = (String) typeValue;
      if (type.startsWith("AWS::Serverless::")) {
        usesSam = true;
        if (!sam.hasType(type)) {
          problems.add(path + ".Type: unknown SAM resource type " + type);
        } else {
          sam.checkResource(type, res, path, problems);
          samSemantics(type, res, path, problems);
        }
      } else {
        for (String attr : res.keySet()) {
          if (!RESOURCE_ATTRIBUTES.contains(attr)) {
            problems.add(path + "." + attr + ": not a resource attribute");
          }
        }
        if (isCustom(type)) {
          Object props = res.get("Properties");
          if (!(props instanceof Map) || !((Map<?, ?>) props).containsKey("ServiceToken")) {
            problems.add(path + ".Properties.ServiceToken: missing required property of a custom resource");
          }
        } else if (!cfn.hasResourceType(type)) {
          problems.add(path + ".Type: unknown resource type " + type);
        } else {
          cfn.checkResourceProperties(type, res.get("Properties"), path + ".Properties", problems);
        }
      }
      Object condition = res.get("Condition");
      if (condition != null && !scope.conditions.containsKey(condition)) {
        problems.add(path + ".Condition: no condition named " + condition);
      }
      Object dependsOn = res.get("DependsOn");
      for (Object d : dependsOn instanceof List ? (List<?>) dependsOn : dependsOn == null ? List.of() : List.of(dependsOn)) {
        if (!scope.resourceTypes.containsKey(d)) {
          problems.add(path + ".DependsOn: no resource named " + d);
        }
      }
    }
    if (usesSam && !SAM_TRANSFORM.equals(template.get("Transform"))
        && !(template.get("Transform") instanceof List && ((List<?>) template.get("Transform")).contains(SAM_TRANSFORM))) {
      problems.add("Transform: AWS::Serverless::* resources need Transform " + SAM_TRANSFORM);
    }
    References refs = new References(scope, problems);
    refs.walk(template.get("Conditions"), "Conditions", true);
    refs.walk(template.get("Rules"), "Rules", true);
    refs.walk(template.get("Resources"), "Resources", false);
    refs.walk(template.get("Outputs"), "Outputs", false);
    checkPolicies(template, problems);
    return problems;
  }

  /** What SAM itself requires beyond its schema (a zip function needs code, a handler and a runtime). */
  private static void samSemantics(String type, Map<String, Object> res, String path, List<String> problems) {
    if (!type.equals("AWS::Serverless::Function")) {
      return;
    }
    Object p = res.get("Properties");
    Map<?, ?> props = p instanceof Map ? (Map<?, ?>) p : Map.of();
    if (!"Image".equals(props.get("PackageType"))) {
      if (!props.containsKey("CodeUri") && !props.containsKey("InlineCode")) {
        problems.add(path + ".Properties.CodeUri: missing (a zip function needs CodeUri or InlineCode)");
      }
      for (String required : List.of("Handler", "Runtime")) {
        if (!props.containsKey(required)) {
          problems.add(path + ".Properties." + required + ": missing required property of a zip function");
        }
      }
    }
  }

  private void checkPolicies(Map<String, Object> template, List<String> problems) {
    List<PolicyStatements.Opaque> opaque = new ArrayList<>();
    for (PolicyStatements.Statement s : PolicyStatements.all(template, opaque)) {
      if (!s.allows() && !"Deny".equals(s.effect())) {
        problems.add(s.path() + ".Effect: must be Allow or Deny, not " + s.effect());
        continue;
      }
      if (s.allows() && s.notAction()) {
        problems.add(s.path() + ".NotAction: allows every action but the listed ones");
      }
      for (Object a : s.actions()) {
        if (!(a instanceof String)) {
          problems.add(s.path() + ".Action: not a literal action: " + CfnSpec.describe(a));
          continue;
        }
        String action = (String) a;
        boolean wildcard = action.contains("*") || action.contains("?");
        if (wildcard) {
          // A Deny with a wildcard refuses more; only a grant with one is a problem.
          if (s.allows()) {
            problems.add(s.path() + ".Action: wildcard action " + action);
          }
          continue;
        }
        if (!action.matches("[a-z0-9-]+:[A-Za-z0-9]+")) {
          problems.add(s.path() + ".Action: not an action: " + action);
        } else if (iam.knowsService(action) && !iam.exists(action)) {
          problems.add(s.path() + ".Action: no such IAM action: " + action);
        } else if (s.allows() && s.kind() == PolicyStatements.Kind.IDENTITY && s.resources().contains("*")
            && iam.knowsService(action) && iam.takesResources(action)) {
          problems.add(s.path() + ".Resource: \"*\" for " + action + ", which can be limited to named resources");
        }
      }
      if (s.kind() == PolicyStatements.Kind.IDENTITY && (s.resources().isEmpty() || s.resources().contains(null))) {
        problems.add(s.path() + ".Resource: missing");
      }
    }
    for (PolicyStatements.Opaque o : opaque) {
      problems.add(o.path() + ": " + o.what() + " cannot be checked; write the statements out");
    }
  }

  /** The names a template defines, SAM's generated resources included. */
  static final class Scope {
    final Map<String, Object> parameters = new LinkedHashMap<>();
    final Map<String, Object> conditions = new LinkedHashMap<>();
    final Map<String, Object> mappings = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
    /** Every resource a Ref or GetAtt may name, with its CloudFormation type ("Custom" for custom ones). */
    final Map<String, String> resourceTypes = new LinkedHashMap<>();
    /** SAM's referable properties: "Function.Alias", "Function.Version". */
    final Set<String> samReferable = new java.util.TreeSet<>();

    @SuppressWarnings("unchecked")
    Scope(Map<String, Object> template, TemplateChecker checker) {
      copy(template.get("Parameters"), parameters);
      copy(template.get("Conditions"), conditions);
      copy(template.get("Mappings"), mappings);
      if (template.get("Resources") instanceof Map) {
        for (Map.Entry<String, Object> e : ((Map<String, Object>) template.get("Resources")).entrySet()) {
          if (e.getValue() instanceof Map) {
            Map<String, Object> res = (Map<String, Object>) e.getValue();
            resources.put(e.getKey(), res);
            String type = String.valueOf(res.get("Type"));
            resourceTypes.put(e.getKey(), SamSchema.CFN_COUNTERPART.getOrDefault(type, type));
            if (type.equals("AWS::Serverless::Function")) {
              samGenerated(e.getKey(), res);
            }
          }
        }
      }
    }

    /** The resources SAM documents for a function: its role, alias and version, event invoke config. */
    @SuppressWarnings("unchecked")
    private void samGenerated(String id, Map<String, Object> function) {
      Map<String, Object> props = function.get("Properties") instanceof Map
          ? (Map<String, Object>) function.get("Properties") : Map.of();
      if (!props.containsKey("Role")) {
        resourceTypes.put(id + "Role", "AWS::IAM::Role");
      }
      Object alias = props.get("AutoPublishAlias");
      if (alias instanceof String) {
        resourceTypes.put(id + "Alias" + ((String) alias).replaceAll("[^A-Za-z0-9]", ""), "AWS::Lambda::Alias");
        samReferable.add(id + ".Alias");
        samReferable.add(id + ".Version");
      }
      if (props.containsKey("EventInvokeConfig")) {
        resourceTypes.put(id + "EventInvokeConfig", "AWS::Lambda::EventInvokeConfig");
      }
    }

    @SuppressWarnings("unchecked")
    private static void copy(Object section, Map<String, Object> into) {
      if (section instanceof Map) {
        into.putAll((Map<String, Object>) section);
      }
    }
  }

  /** Walks values and checks what their intrinsic functions name. */
  private final class References {
    private final Scope scope;
    private final List<String> problems;

    References(Scope scope, List<String> problems) {
      this.scope = scope;
      this.problems = problems;
    }

    /** @param staticOnly true in Conditions and Rules, where only parameters and pseudo parameters exist */
    void walk(Object v, String path, boolean staticOnly) {
      walk(v, path, staticOnly, Set.of());
    }

    @SuppressWarnings("unchecked")
    private void walk(Object v, String path, boolean staticOnly, Set<String> subLocals) {
      String fn = Intrinsics.function(v);
      if (fn != null) {
        Object arg = Intrinsics.argument(v);
        switch (fn) {
          case "Ref":
            ref(arg, path, staticOnly);
            return;
          case "Condition":
            if (!scope.conditions.containsKey(arg)) {
              problems.add(path + ": no condition named " + arg);
            }
            return;
          case "Fn::GetAtt":
            getAtt(arg, path, staticOnly);
            return;
          case "Fn::Sub":
            sub(arg, path, staticOnly);
            return;
          case "Fn::If":
            if (!(arg instanceof List) || ((List<?>) arg).size() != 3) {
              problems.add(path + ": Fn::If takes [condition, value if true, value if false]");
            } else if (!scope.conditions.containsKey(((List<?>) arg).get(0))) {
              problems.add(path + ": no condition named " + ((List<?>) arg).get(0));
            }
            break;
          case "Fn::FindInMap":
            findInMap(arg, path);
            break;
          default:
            break;
        }
        walk(arg, path + "." + fn, staticOnly, subLocals);
        return;
      }
      if (v instanceof Map) {
        for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
          walk(e.getValue(), path + "." + e.getKey(), staticOnly, subLocals);
        }
      } else if (v instanceof List) {
        int i = 0;
        for (Object item : (List<Object>) v) {
          walk(item, path + "[" + i++ + "]", staticOnly, subLocals);
        }
      }
    }

    private void ref(Object name, String path, boolean staticOnly) {
      if (!(name instanceof String)) {
        problems.add(path + ": Ref takes a name, not " + CfnSpec.describe(name));
        return;
      }
      String n = (String) name;
      if (PSEUDO_PARAMETERS.contains(n) || scope.parameters.containsKey(n)) {
        return;
      }
      if (staticOnly) {
        problems.add(path + ": Ref " + n + ": not a parameter");
      } else if (!scope.resourceTypes.containsKey(n) && !scope.samReferable.contains(n)) {
        problems.add(path + ": Ref " + n + ": no parameter, pseudo parameter or resource of that name");
      }
    }

    private void getAtt(Object arg, String path, boolean staticOnly) {
      List<?> parts = arg instanceof String ? List.of(((String) arg).split("\\.", 2)) : arg instanceof List ? (List<?>) arg : List.of();
      if (parts.size() != 2 || !(parts.get(0) instanceof String)) {
        problems.add(path + ": Fn::GetAtt takes [resource, attribute]");
        return;
      }
      if (staticOnly) {
        problems.add(path + ": Fn::GetAtt is not allowed here");
        return;
      }
      attribute((String) parts.get(0), parts.get(1), path);
    }

    private void attribute(String resource, Object attribute, String path) {
      String type = scope.resourceTypes.get(resource);
      if (type == null) {
        problems.add(path + ": GetAtt " + resource + ": no resource of that name");
        return;
      }
      if (!(attribute instanceof String)) {
        return; // an attribute chosen at deploy time
      }
      if (isCustom(type)) {
        return; // a custom resource answers with whatever Data it likes
      }
      Set<String> known = cfn.attributes(type);
      if (!known.contains(attribute)) {
        problems.add(path + ": GetAtt " + resource + "." + attribute + ": " + type + " has no attribute "
            + attribute + " (it has " + known + ")");
      }
    }

    @SuppressWarnings("unchecked")
    private void sub(Object arg, String path, boolean staticOnly) {
      String text;
      Map<String, Object> locals = Map.of();
      if (arg instanceof String) {
        text = (String) arg;
      } else if (arg instanceof List && ((List<?>) arg).size() == 2 && ((List<?>) arg).get(0) instanceof String
          && ((List<?>) arg).get(1) instanceof Map) {
        text = (String) ((List<?>) arg).get(0);
        locals = (Map<String, Object>) ((List<?>) arg).get(1);
        for (Map.Entry<String, Object> e : locals.entrySet()) {
          walk(e.getValue(), path + "." + e.getKey(), staticOnly, Set.of());
        }
      } else {
        problems.add(path + ": Fn::Sub takes a string or [string, {variables}]");
        return;
      }
      for (String var : Intrinsics.subVariables(text)) {
        if (locals.containsKey(var)) {
          continue;
        }
        int dot = var.indexOf('.');
        if (dot > 0 && !scope.parameters.containsKey(var) && !scope.samReferable.contains(var)) {
          if (staticOnly) {
            problems.add(path + ": ${" + var + "}: attributes are not allowed here");
          } else {
            attribute(var.substring(0, dot), var.substring(dot + 1), path + " ${" + var + "}");
          }
        } else {
          ref(var, path + " ${" + var + "}", staticOnly);
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void findInMap(Object arg, String path) {
      if (!(arg instanceof List) || ((List<?>) arg).size() != 3) {
        problems.add(path + ": Fn::FindInMap takes [map, top-level key, second-level key]");
        return;
      }
      List<?> a = (List<?>) arg;
      if (!(a.get(0) instanceof String) || !scope.mappings.containsKey(a.get(0))) {
        problems.add(path + ": no mapping named " + a.get(0));
        return;
      }
      Map<String, Object> map = (Map<String, Object>) scope.mappings.get(a.get(0));
      if (a.get(1) instanceof String) {
        Object level = map.get(a.get(1));
        if (!(level instanceof Map)) {
          problems.add(path + ": mapping " + a.get(0) + " has no key " + a.get(1));
        } else if (a.get(2) instanceof String && !((Map<?, ?>) level).containsKey(a.get(2))) {
          problems.add(path + ": mapping " + a.get(0) + "." + a.get(1) + " has no key " + a.get(2));
        }
      } else if (a.get(2) instanceof String) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
          if (!(e.getValue() instanceof Map) || !((Map<?, ?>) e.getValue()).containsKey(a.get(2))) {
            problems.add(path + ": mapping " + a.get(0) + "." + e.getKey() + " has no key " + a.get(2));
          }
        }
      }
    }
  }
}
