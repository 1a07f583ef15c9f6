package dev.mailgate.deploy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SAM translator's JSON schema (draft-04; src/test/resources/aws/sam.schema.json) for the
 * {@code AWS::Serverless::*} resource types. Supports what that schema uses: $ref, allOf, anyOf, type, enum,
 * properties, additionalProperties, required, items. A property SAM passes through to CloudFormation
 * ({@code __samPassThrough} with a {@code schemaPath}) is checked against the CloudFormation spec; so is a
 * property that the schema leaves open ({@code PassThroughProp}) when the generated CloudFormation type has a
 * property of that name (SnapStart, MemorySize, Timeout of a function).
 */
final class SamSchema {
  /** The CloudFormation type each SAM type becomes, whose properties SAM passes through. */
  static final Map<String, String> CFN_COUNTERPART = Map.of(
      "AWS::Serverless::Function", "AWS::Lambda::Function",
      "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion");

  private final Map<String, Object> definitions;
  private final CfnSpec cfn;

  @SuppressWarnings("unchecked")
  private SamSchema(Map<String, Object> schema, CfnSpec cfn) {
    this.definitions = (Map<String, Object>) schema.get("definitions");
    this.cfn = cfn;
  }

  static SamSchema load(Path file, CfnSpec cfn) throws IOException {
    return new SamSchema(JSON.std.mapFrom(Files.readAllBytes(file)), cfn);
  }

  /** The schema of a resource of this SAM type (the definition whose Type enum names it), or null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> resourceSchema(String type) {
    for (Map.Entry<String, Object> d : definitions.entrySet()) {
      if (!d.getKey().endsWith("__Resource")) {
        continue;
      }
      Map<String, Object> def = (Map<String, Object>) d.getValue();
      Map<String, Object> props = (Map<String, Object>) def.get("properties");
      if (props == null || !(props.get("Type") instanceof Map)) {
        continue;
      }
      Object en = ((Map<String, Object>) props.get("Type")).get("enum");
      if (en instanceof List && ((List<?>) en).contains(type)) {
        return def;
      }
    }
    return null;
  }

  boolean hasType(String type) {
    return resourceSchema(type) != null;
  }

  /** Checks a whole resource (Type, Properties, attributes) of a SAM type. */
  @SuppressWarnings("unchecked")
  void checkResource(String type, Map<String, Object> resource, String path, List<String> problems) {
    Map<String, Object> schema = resourceSchema(type);
    validate(schema, resource, path, problems);
    String counterpart = CFN_COUNTERPART.get(type);
    Object props = resource.get("Properties");
    if (counterpart == null || !(props instanceof Map)) {
      return;
    }
    Map<String, Object> propsSchema = (Map<String, Object>) resolve(
        (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get("Properties"));
    Map<String, Object> samProps = (Map<String, Object>) propsSchema.get("properties");
    for (Map.Entry<String, Object> e : ((Map<String, Object>) props).entrySet()) {
      Map<String, Object> s = samProps == null ? null : (Map<String, Object>) samProps.get(e.getKey());
      if (s != null && s.get("__samPassThrough") == null && isOpenPassThrough(s)) {
        Map<String, Object> spec = cfn.property(counterpart, e.getKey());
        if (spec != null) {
          cfn.checkValue(counterpart, spec, e.getValue(), path + ".Properties." + e.getKey(), problems);
        }
      }
    }
  }

  /** A property the schema leaves entirely open: {"allOf": [{"$ref": "#/definitions/PassThroughProp"}]}. */
  private static boolean isOpenPassThrough(Map<String, Object> s) {
    Object allOf = s.get("allOf");
    return allOf instanceof List && ((List<?>) allOf).size() == 1
        && ((List<?>) allOf).get(0) instanceof Map
        && "#/definitions/PassThroughProp".equals(((Map<?, ?>) ((List<?>) allOf).get(0)).get("$ref"));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> resolve(Map<String, Object> schema) {
    Object ref = schema.get("$ref");
    while (ref instanceof String) {
      String r = (String) ref;
      if (!r.startsWith("#/definitions/")) {
        throw new IllegalStateException("unsupported $ref " + r);
      }
      schema = (Map<String, Object>) definitions.get(r.substring("#/definitions/".length()));
      ref = schema.get("$ref");
    }
    return schema;
  }

  @SuppressWarnings("unchecked")
  void validate(Map<String, Object> schema, Object value, String path, List<String> problems) {
    schema = resolve(schema);
    List<Object> alternatives = Intrinsics.alternatives(value);
    if (alternatives.size() != 1 || alternatives.get(0) != value) {
      for (Object alt : alternatives) {
        validate(schema, alt, path, problems);
      }
      return;
    }
    if (Intrinsics.function(value) != null) {
      return; // a deploy-time value
    }
    Object passThrough = schema.get("__samPassThrough");
    if (passThrough instanceof Map && ((Map<String, Object>) passThrough).get("schemaPath") instanceof List) {
      List<String> sp = (List<String>) ((Map<String, Object>) passThrough).get("schemaPath");
      // ["definitions", "AWS::Lambda::Function", "properties", "Properties", "properties", NAME]
      if (sp.size() == 6 && sp.get(0).equals("definitions") && sp.get(3).equals("Properties")) {
        Map<String, Object> spec = cfn.property(sp.get(1), sp.get(5));
        if (spec == null) {
          problems.add(path + ": SAM passes this to " + sp.get(1) + "." + sp.get(5)
              + ", which the CloudFormation spec does not have");
        } else {
          cfn.checkValue(sp.get(1), spec, value, path, problems);
        }
      }
    }
    if (schema.get("allOf") instanceof List) {
      for (Object s : (List<Object>) schema.get("allOf")) {
        validate((Map<String, Object>) s, value, path, problems);
      }
    }
    if (schema.get("anyOf") instanceof List) {
      List<String> best = null;
      for (Object s : (List<Object>) schema.get("anyOf")) {
        List<String> p = new ArrayList<>();
        validate((Map<String, Object>) s, value, path, p);
        if (p.isEmpty()) {
          best = p;
          break;
        }
        if (best == null || p.size() < best.size()) {
          best = p;
        }
      }
      if (best != null) {
        problems.addAll(best);
      }
    }
    Object type = schema.get("type");
    if (type != null && !typeMatches(type, value)) {
      problems.add(path + ": expected " + type + ", found " + CfnSpec.describe(value));
      return;
    }
    if (schema.get("enum") instanceof List && !((List<?>) schema.get("enum")).contains(value)) {
      problems.add(path + ": " + CfnSpec.describe(value) + " is not one of " + schema.get("enum"));
    }
    if (value instanceof Map) {
      Map<String, Object> given = (Map<String, Object>) value;
      Map<String, Object> props = (Map<String, Object>) schema.get("properties");
      Object additional = schema.get("additionalProperties");
      for (Map.Entry<String, Object> e : given.entrySet()) {
        if (props != null && props.containsKey(e.getKey())) {
          validate((Map<String, Object>) props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), problems);
        } else if (Boolean.FALSE.equals(additional)) {
          problems.add(path + "." + e.getKey() + ": unknown property");
        } else if (additional instanceof Map) {
          validate((Map<String, Object>) additional, e.getValue(), path + "." + e.getKey(), problems);
        }
      }
      if (schema.get("required") instanceof List) {
        for (Object r : (List<?>) schema.get("required")) {
          if (!given.containsKey(r)) {
            problems.add(path + "." + r + ": missing required property");
          }
        }
      }
    }
    if (value instanceof List && schema.get("items") instanceof Map) {
      int i = 0;
      for (Object item : (List<?>) value) {
        validate((Map<String, Object>) schema.get("items"), item, path + "[" + i++ + "]", problems);
      }
    }
  }

  private static boolean typeMatches(Object type, Object value) {
    if (type instanceof List) {
      for (Object t : (List<?>) type) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    switch ((String) type) {
      case "object":
        return value instanceof Map;
      case "array":
        return value instanceof List;
      case "string":
        return value instanceof String;
      case "integer":
        return value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
      case "number":
        return value instanceof Number;
      case "boolean":
        return value instanceof Boolean;
      case "null":
        return value == null;
      default:
        return true;
    }
  }
}
