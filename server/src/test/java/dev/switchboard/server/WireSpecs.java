package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract's machine-readable specifications, docs/asyncapi.yaml and docs/openapi.yaml (as the node serves them,
 * from the realtime-verticle jar), used to check what the end-to-end tests receive: every WebSocket and SSE frame
 * against the schema of its {@code type} on its channel, every HTTP answer against its operation's response.
 * The schemas are checked with a real JSON Schema validator (networknt, draft 2020-12, which OpenAPI 3.1 uses and
 * whose keywords the AsyncAPI schemas keep to).
 */
final class WireSpecs {

  static final String WEB_SOCKET = "webSocket";
  static final String SERVER_SENT_EVENTS = "serverSentEvents";

  private static final String BASE = "classpath:switchboard-specs/";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete", "options", "head");

  private static final WireSpecs INSTANCE = new WireSpecs();

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final JsonNode asyncApi = load("asyncapi.yaml");
  private final JsonNode openApi = load("openapi.yaml");
  /** Per channel: the frame types the server sends on it, each with its schema's name. */
  private final Map<String, Map<String, String>> serverFrames = serverFramesByChannel();
  private final List<PathTemplate> paths = pathTemplates();
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private WireSpecs() {
  }

  static WireSpecs get() {
    return INSTANCE;
  }

  /** What is wrong with a frame the server sent on {@code channel}; empty when the spec describes it exactly. */
  List<String> frameProblems(String channel, String text) {
    JsonNode frame;
    try {
      frame = JSON.readTree(text);
    } catch (IOException e) {
      return List.of("not JSON: " + text);
    }
    if (!frame.isObject() || !frame.path("type").isTextual()) {
      return List.of("a frame is a JSON object with a string type: " + text);
    }
    String schemaName = serverFrames.get(channel).get(frame.get("type").asText());
    if (schemaName == null) {
      return List.of("asyncapi.yaml has no " + frame.get("type") + " frame that the server sends on channel "
          + channel + ": " + text);
    }
    return problems(schema("asyncapi.yaml#/components/schemas/" + schemaName), frame, text);
  }

  /**
   * What is wrong with an HTTP answer: its path, method and status must be described by openapi.yaml (a path it
   * does not describe may only answer 404), its media type must be one the response lists, and a JSON body must
   * match the response's schema.
   */
  List<String> responseProblems(String method, String pathAndQuery, int status, String contentType, String body) {
    String path = pathAndQuery.split("\\?", 2)[0];
    String what = method + " " + path + " answered " + status;
    JsonNode operation = null;
    String pointer = null;
    for (PathTemplate template : paths) {
      Matcher matcher = template.pattern.matcher(path);
      if (matcher.matches() && enumsAllow(template, matcher)) {
        operation = openApi.path("paths").path(template.template).path(method.toLowerCase());
        pointer = "#/paths/" + escape(template.template) + "/" + method.toLowerCase();
        break;
      }
    }
    JsonNode response;
    if (operation == null || operation.isMissingNode()) {
      // A path the spec does not have may only be unknown (404) or not decode at all (400).
      String answer = status == 404 ? "NotFound" : status == 400 ? "BadRequest" : null;
      if (answer == null) {
        return List.of(what + ", but openapi.yaml has no such operation (only 404 or 400 may answer one)");
      }
      response = resolve(openApi.path("components").path("responses").path(answer));
      pointer = "#/components/responses/" + answer;
    } else {
      JsonNode responses = operation.path("responses");
      response = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status))
          : responses.path("default");
      if (response.isMissingNode()) {
        return List.of(what + ", a status openapi.yaml does not list for this operation");
      }
      pointer = response.has("$ref") ? response.get("$ref").asText() : pointer + "/responses/" + status;
      response = resolve(response);
    }
    JsonNode content = response.path("content");
    if (content.isMissingNode()) {
      return body == null || body.isEmpty() ? List.of() : List.of(what + " with a body where openapi.yaml has none");
    }
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
    if (!content.has(mediaType)) {
      return List.of(what + " as '" + contentType + "', which openapi.yaml does not list (" + fieldNames(content)
          + ")");
    }
    if (!mediaType.equals("application/json")) {
      return List.of();
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return List.of(what + " with a body that is not JSON: " + body);
    }
    // A JSON pointer in a URI fragment, braces percent-encoded (RFC 6901, section 6).
    String schemaPointer = (pointer + "/content/" + escape(mediaType) + "/schema").replace("{", "%7B")
        .replace("}", "%7D");
    return problems(schema("openapi.yaml" + schemaPointer), json, what + ": " + body);
  }

  private Schema schema(String location) {
    return schemas.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(BASE + l)));
  }

  private static List<String> problems(Schema schema, JsonNode instance, String context) {
    List<Error> errors = schema.validate(instance);
    List<String> problems = new ArrayList<>(errors.size());
    for (Error error : errors) {
      problems.add(error.getInstanceLocation() + " " + error.getMessage() + " in " + context);
    }
    return problems;
  }

  /** A response object, following a {@code $ref} into {@code components/responses}. */
  private JsonNode resolve(JsonNode response) {
    JsonNode ref = response.get("$ref");
    if (ref == null) {
      return response;
    }
    JsonNode target = openApi;
    for (String part : ref.asText().substring(2).split("/")) {
      target = target.path(part.replace("~1", "/").replace("~0", "~"));
    }
    return target;
  }

  private Map<String, Map<String, String>> serverFramesByChannel() {
    Map<String, Map<String, String>> byChannel = new HashMap<>();
    for (JsonNode operation : iterable(asyncApi.path("operations").elements())) {
      String channel = lastPart(operation.path("channel").path("$ref").asText());
      Map<String, String> frames = byChannel.computeIfAbsent(channel, c -> new HashMap<>());
      if (!operation.path("action").asText().equals("send")) {
        continue;
      }
      for (JsonNode messageRef : operation.path("messages")) {
        JsonNode channelMessage = asyncApi.path("channels").path(channel).path("messages")
            .path(lastPart(messageRef.path("$ref").asText()));
        JsonNode message = asyncApi.path("components").path("messages")
            .path(lastPart(channelMessage.path("$ref").asText()));
        String schemaName = lastPart(message.path("payload").path("$ref").asText());
        String type = asyncApi.path("components").path("schemas").path(schemaName).path("properties").path("type")
            .path("const").asText();
        frames.put(type, schemaName);
      }
    }
    return byChannel;
  }

  private List<PathTemplate> pathTemplates() {
    List<PathTemplate> templates = new ArrayList<>();
    for (String template : iterable(openApi.path("paths").fieldNames())) {
      // A template parameter is one path segment, except a client module or an example's file, which may be in a
      // folder.
      String regex = Pattern.quote(template).replace("{module}", "\\E(.+)\\Q").replace("{file}", "\\E(.+)\\Q")
          .replaceAll("\\{[^}]+}", "\\\\E([^/]+)\\\\Q");
      templates.add(new PathTemplate(template, Pattern.compile(regex)));
    }
    // As in OpenAPI, a path without parameters wins over a template that also matches it.
    templates.sort(Comparator.comparing(template -> template.template.contains("{")));
    return templates;
  }

  /** Whether each path parameter that the spec restricts to an {@code enum} has one of its values. */
  private boolean enumsAllow(PathTemplate template, Matcher matcher) {
    List<String> names = new ArrayList<>();
    Matcher parameter = Pattern.compile("\\{([^}]+)}").matcher(template.template);
    while (parameter.find()) {
      names.add(parameter.group(1));
    }
    JsonNode item = openApi.path("paths").path(template.template);
    List<JsonNode> declared = new ArrayList<>();
    item.path("parameters").forEach(declared::add);
    METHODS.forEach(method -> item.path(method).path("parameters").forEach(declared::add));
    for (int i = 0; i < names.size(); i++) {
      for (JsonNode p : declared) {
        JsonNode allowed = p.path("schema").path("enum");
        if (p.path("name").asText().equals(names.get(i)) && allowed.isArray() && !iterable(allowed.elements())
            .stream().map(JsonNode::asText).toList().contains(matcher.group(i + 1))) {
          return false;
        }
      }
    }
    return true;
  }

  private static JsonNode load(String file) {
    try (InputStream in = WireSpecs.class.getClassLoader().getResourceAsStream("switchboard-specs/" + file)) {
      if (in == null) {
        throw new IllegalStateException("switchboard-specs/" + file + " is not on the test classpath");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lastPart(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String fieldNames(JsonNode node) {
    return String.join(", ", iterable(node.fieldNames()));
  }

  private static <T> List<T> iterable(Iterator<T> iterator) {
    List<T> list = new ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }

  private record PathTemplate(String template, Pattern pattern) {
  }
}
