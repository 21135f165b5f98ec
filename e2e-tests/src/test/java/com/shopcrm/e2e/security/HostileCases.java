package com.shopcrm.e2e.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Malformed requests made from one valid body, deterministic for a seed: the body's shape broken
 * (missing, null, wrong-typed and unknown fields, another JSON type, truncated or trailing text,
 * duplicate keys), hostile values in its fields (SQL and JSON injection, NUL and lone surrogates,
 * huge strings, deep nesting, negative, fractional and overflowing numbers, impossible dates),
 * invalid UTF-8 and other encodings, wrong content types; and for CSV imports broken quoting, wrong
 * encodings and a 10,000-column row.
 */
final class HostileCases {

  record Case(String name, byte[] body, String contentType) {
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> INJECTIONS = List.of(
      "' OR '1'='1", "'; DROP TABLE customer; --", "1; SELECT pg_sleep(5)", "\") OR 1=1 --",
      "{\"$gt\": \"\"}", "\", \"tenant_id\": \"another-shop", "${jndi:ldap://127.0.0.1/x}", "%s%s%s%n",
      "../../../../etc/passwd", "<script>alert(1)</script>", "\\u0000", "x\\\"y");
  private static final List<String> ODD_TEXT = List.of(
      "nul\u0000inside", "lone \ud800 surrogate", "rtl \u202e override", "emoji 😀🀄", "", "   ",
      "line\nbreak\r\ttab", "\uFEFFbom");
  private static final List<String> BAD_DATES = List.of(
      "2026-13-45", "2026-02-30T25:61:00+08:00", "not-a-date", "99999-01-01T00:00:00Z", "0000-00-00",
      "2026-01-01T00:00:00+99:00", "1700000000");
  private static final List<String> BAD_NUMBERS = List.of(
      "-1", "-999999999999", "9223372036854775808", "-9223372036854775809", "1e400", "-1e308", "1.5", "0.0000001",
      "123456789012345678901234567890.123456789", "NaN", "\"12abc\"", "true", "[1]");

  private HostileCases() {
  }

  static List<Case> json(JsonNode valid, long seed, int maxLeaves) {
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>();
    String text = valid.toString();
    // the whole body
    cases.add(new Case("empty body", new byte[0], "application/json"));
    for (String other : List.of("null", "[]", "123", "\"text\"", "true", "[" + text + "]")) {
      cases.add(raw("another JSON type " + other.length(), other));
    }
    cases.add(raw("truncated", text.substring(0, Math.max(1, text.length() / 2))));
    cases.add(raw("trailing text", text + " trailing"));
    cases.add(raw("two documents", text + text));
    cases.add(raw("comment", "/* c */" + text));
    cases.add(raw("single quotes", text.replace('"', '\'')));
    cases.add(raw("deeply nested arrays", "[".repeat(20_000) + "]".repeat(20_000)));
    cases.add(raw("deeply nested objects", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
    cases.add(raw("huge body (3 MB)", mutate(valid, o -> o.put("unexpected", "x".repeat(3_000_000)))));
    cases.add(raw("unknown field", mutate(valid, o -> o.put("unexpected_field", 1))));
    cases.add(raw("tenant_id smuggled in", mutate(valid, o -> o.put("tenant_id", "another-shop"))));
    cases.add(raw("id smuggled in", mutate(valid, o -> o.put("id", 1))));
    if (valid.isObject() && valid.size() > 0) {
      String first = valid.fieldNames().next();
      cases.add(raw("duplicate key", "{\"" + first + "\":" + valid.get(first) + "," + text.substring(1)));
    }
    cases.add(new Case("invalid UTF-8 bytes", invalidUtf8(text), "application/json"));
    cases.add(new Case("UTF-16 body", text.getBytes(StandardCharsets.UTF_16), "application/json"));
    cases.add(new Case("GBK body declared UTF-8", text.replace("\"", "\"中文").getBytes(Charset.forName("GBK")), "application/json"));
    cases.add(new Case("text/plain", Http.utf8(text), "text/plain"));
    cases.add(new Case("XML", Http.utf8("<customer><name>x</name></customer>"), "application/xml"));
    cases.add(new Case("form", Http.utf8("name=x&tenant_id=y"), "application/x-www-form-urlencoded"));
    cases.add(new Case("no content type", Http.utf8(text), null));
    cases.add(new Case("multipart", Http.utf8("--b\r\n\r\nx\r\n--b--"), "multipart/form-data; boundary=b"));
    cases.add(new Case("json with a bogus charset", Http.utf8(text), "application/json; charset=bogus-9"));

    // each of a few fields, chosen by the seed
    List<String> leaves = new ArrayList<>();
    collectLeaves(valid, "", leaves);
    Collections.shuffle(leaves, random);
    for (String pointer : leaves.subList(0, Math.min(maxLeaves, leaves.size()))) {
      JsonNode value = valid.at(pointer);
      cases.add(raw(pointer + " missing", replace(valid, pointer, null, true)));
      cases.add(raw(pointer + " null", replace(valid, pointer, NODES.nullNode(), false)));
      cases.add(raw(pointer + " wrong type", replace(valid, pointer, wrongType(value), false)));
      cases.add(raw(pointer + " object", replace(valid, pointer, NODES.objectNode().put("x", 1), false)));
      if (value.isTextual() || value.isNull()) {
        cases.add(raw(pointer + " injection", replace(valid, pointer, NODES.textNode(pick(random, INJECTIONS)), false)));
        cases.add(raw(pointer + " injection 2", replace(valid, pointer, NODES.textNode(pick(random, INJECTIONS)), false)));
        cases.add(raw(pointer + " odd text", replace(valid, pointer, NODES.textNode(pick(random, ODD_TEXT)), false)));
        cases.add(raw(pointer + " NUL", replace(valid, pointer, NODES.textNode("a\u0000b"), false)));
        cases.add(raw(pointer + " huge string", replace(valid, pointer, NODES.textNode("长".repeat(200_000)), false)));
        cases.add(raw(pointer + " bad date", replace(valid, pointer, NODES.textNode(pick(random, BAD_DATES)), false)));
        cases.add(raw(pointer + " deep nesting", replacedRaw(valid, pointer, "[".repeat(3_000) + "]".repeat(3_000))));
      } else if (value.isNumber()) {
        for (int i = 0; i < 4; i++) {
          cases.add(raw(pointer + " bad number", replacedRaw(valid, pointer, pick(random, BAD_NUMBERS))));
        }
      } else if (value.isArray()) {
        cases.add(raw(pointer + " empty array", replace(valid, pointer, NODES.arrayNode(), false)));
        ArrayNode many = NODES.arrayNode();
        for (int i = 0; i < 20_000; i++) {
          many.add(value.size() > 0 ? value.get(0).deepCopy() : NODES.textNode("x"));
        }
        cases.add(raw(pointer + " 20,000 items", replace(valid, pointer, many, false)));
        cases.add(raw(pointer + " array of nulls", replace(valid, pointer, NODES.arrayNode().addNull().addNull(), false)));
      } else if (value.isBoolean()) {
        cases.add(raw(pointer + " \"yes\"", replace(valid, pointer, NODES.textNode("yes"), false)));
      }
    }
    return cases;
  }

  /** Order imports: {@code valid} is a small valid generic CSV. */
  static List<Case> csv(String valid, long seed) {
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>();
    String header = "order_no,customer_external_id,ordered_at,total_amount";
    cases.add(csvCase("empty", ""));
    cases.add(csvCase("header only", header + "\n"));
    cases.add(csvCase("no header", "X1,c1,2026-01-02 10:00:00,1\n"));
    cases.add(csvCase("missing required column", "order_no,ordered_at\nX1,2026-01-02\n"));
    cases.add(csvCase("unterminated quote", header + "\n\"X1,c1,2026-01-02 10:00:00,1\n"));
    cases.add(csvCase("quote in the middle", header + "\nX\"1,c\"1,2026-01-02 10:00:00,1\n"));
    cases.add(csvCase("quote then garbage", header + "\n\"X1\"garbage,c1,2026-01-02 10:00:00,1\n"));
    cases.add(csvCase("only quotes", "\"\"\"\"\"\"\"\n\"\"\"\n"));
    cases.add(csvCase("too few cells", header + "\nX1,c1\n"));
    cases.add(csvCase("too many cells", header + "\nX1,c1,2026-01-02 10:00:00,1,extra,extra\n"));
    cases.add(csvCase("duplicate header", header + ",order_no\nX1,c1,2026-01-02 10:00:00,1,X2\n"));
    cases.add(csvCase("bad dates and amounts", header + "\nX1,c1,2026-13-45,abc\nX2,c1,yesterday,-1\nX3,c1,20261301,1e400\n"));
    cases.add(csvCase("injection cells", header + "\n'; DROP TABLE orders; --,' OR 1=1,2026-01-02 10:00:00,1\n"));
    cases.add(csvCase("NUL bytes", header + "\nX\u00001,c\u00001,2026-01-02 10:00:00,1\n"));
    cases.add(csvCase("bare CR line ends", header + "\rX1,c1,2026-01-02 10:00:00,1\r"));
    cases.add(csvCase("a 1 MB cell", header + "\n" + "X".repeat(1_000_000) + ",c1,2026-01-02 10:00:00,1\n"));
    StringBuilder wide = new StringBuilder(header);
    for (int i = 0; i < 10_000 - 4; i++) {
      wide.append(",c").append(i);
    }
    wide.append("\nX1,c1,2026-01-02 10:00:00,1").append(",v".repeat(10_000 - 4)).append('\n');
    cases.add(csvCase("a 10,000-column row", wide.toString()));
    cases.add(csvCase("a 10,000-column data row under a short header", header + "\n" + "x,".repeat(9_999) + "x\n"));
    cases.add(new Case("GBK bytes with a UTF-8 charset", ("订单号,买家\n" + valid).getBytes(Charset.forName("GBK")),
        "text/csv; charset=utf-8"));
    cases.add(new Case("invalid UTF-8", invalidUtf8(valid), "text/csv"));
    cases.add(new Case("UTF-16", valid.getBytes(StandardCharsets.UTF_16), "text/csv"));
    cases.add(new Case("unknown charset", Http.utf8(valid), "text/csv; charset=klingon"));
    cases.add(new Case("JSON instead of CSV", Http.utf8("{\"order_no\": 1}"), "application/json"));
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    cases.add(new Case("random bytes", noise, "text/csv"));
    return cases;
  }

  private static Case csvCase(String name, String body) {
    return new Case("csv " + name, Http.utf8(body), "text/csv");
  }

  private static Case raw(String name, String body) {
    return new Case(name, Http.utf8(body), "application/json");
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static byte[] invalidUtf8(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = Http.utf8(text);
    int quote = text.indexOf("\":\"");
    int at = quote < 0 ? bytes.length / 2 : Http.utf8(text.substring(0, quote + 3)).length;
    out.write(bytes, 0, at);
    out.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
    out.write(bytes, at, bytes.length - at);
    return out.toByteArray();
  }

  private static JsonNode wrongType(JsonNode value) {
    if (value.isTextual()) {
      return NODES.numberNode(12345);
    }
    if (value.isNumber()) {
      return NODES.textNode("12abc");
    }
    if (value.isBoolean()) {
      return NODES.numberNode(1);
    }
    if (value.isArray()) {
      return NODES.textNode("not-an-array");
    }
    return NODES.booleanNode(true);
  }

  private static void collectLeaves(JsonNode node, String pointer, List<String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        String child = pointer + "/" + e.getKey();
        into.add(child);
        if (e.getValue().isContainerNode()) {
          collectLeaves(e.getValue(), child, into);
        }
      });
    } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
      collectLeaves(node.get(0), pointer + "/0", into);
    }
  }

  private static String mutate(JsonNode valid, Consumer<ObjectNode> change) {
    JsonNode copy = valid.deepCopy();
    if (copy instanceof ObjectNode o) {
      change.accept(o);
    }
    return copy.toString();
  }

  /** The body with the value at {@code pointer} replaced (or removed). */
  private static String replace(JsonNode valid, String pointer, JsonNode value, boolean remove) {
    JsonNode copy = valid.deepCopy();
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? copy : copy.at(pointer.substring(0, slash));
    String name = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode o) {
      if (remove) {
        o.remove(name);
      } else {
        o.set(name, value);
      }
    } else if (parent instanceof ArrayNode a) {
      int index = Integer.parseInt(name);
      if (remove) {
        a.remove(index);
      } else {
        a.set(index, value);
      }
    }
    return copy.toString();
  }

  /** The body with the raw JSON text {@code json} at {@code pointer} (for numbers Jackson would not write). */
  private static String replacedRaw(JsonNode valid, String pointer, String json) {
    String marker = "\"__hostile_" + Integer.toHexString(json.hashCode()) + "__\"";
    String withMarker = replace(valid, pointer, NODES.textNode(marker.substring(1, marker.length() - 1)), false);
    return withMarker.replace(marker, json);
  }
}
