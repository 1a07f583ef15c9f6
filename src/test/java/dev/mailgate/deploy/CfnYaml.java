package dev.mailgate.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template written in YAML: the short-form tags become the long form
 * ({@code !Ref X} is {@code {"Ref": "X"}}, {@code !GetAtt A.B} is {@code {"Fn::GetAtt": ["A", "B"]}},
 * {@code !Condition C} is {@code {"Condition": "C"}}, every other {@code !F v} is {@code {"Fn::F": v}}).
 * Duplicate keys are refused, as CloudFormation refuses them.
 */
final class CfnYaml {
  private CfnYaml() {}

  /** The short forms CloudFormation defines. */
  static final List<String> SHORT_FORMS = List.of("Ref", "GetAtt", "Sub", "Join", "If", "Equals", "Not", "Select",
      "Split", "FindInMap", "ImportValue", "Base64", "Condition", "And", "Or", "GetAZs", "Cidr", "Transform",
      "Length", "ToJsonString");

  static Map<String, Object> load(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(10 * 1024 * 1024);
    Object doc = new Yaml(new Constructor(options)).load(text);
    if (!(doc instanceof Map)) {
      throw new IllegalArgumentException("a template is a mapping, not " + doc);
    }
    return (Map<String, Object>) doc;
  }

  private static final class Constructor extends SafeConstructor {
    Constructor(LoaderOptions options) {
      super(options);
      for (String fn : SHORT_FORMS) {
        yamlConstructors.put(new Tag("!" + fn), new Intrinsic(fn));
      }
    }

    private final class Intrinsic extends AbstractConstruct {
      private final String fn;

      Intrinsic(String fn) {
        this.fn = fn;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode) {
          value = constructScalar((ScalarNode) node);
        } else if (node instanceof SequenceNode) {
          value = new ArrayList<>(constructSequence((SequenceNode) node));
        } else {
          value = new LinkedHashMap<>(constructMapping((MappingNode) node));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        switch (fn) {
          case "Ref":
          case "Condition":
            out.put(fn, value);
            break;
          case "GetAtt":
            // The short form's scalar is "Resource.Attribute", the attribute possibly dotted itself.
            if (value instanceof String) {
              String s = (String) value;
              int dot = s.indexOf('.');
              value = dot < 0 ? List.of(s) : List.of(s.substring(0, dot), s.substring(dot + 1));
            }
            out.put("Fn::GetAtt", value);
            break;
          default:
            out.put("Fn::" + fn, value);
        }
        return out;
      }
    }
  }
}
