package io.walkstream.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.Request;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonCodecTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesTheDocumentedForms() {
        Parsed<Event> i =
                JsonCodec.parseInteraction(
                        b(
                                "{\"user\":\"u:1\",\"item\":\"i:9\",\"action\":\"purchase\",\"ts\":1700000000000}"));
        assertThat(i.isOk()).isTrue();
        assertThat(i.value().actionType()).isEqualTo(Action.PURCHASE);
        assertThat(i.value().ts).isEqualTo(1700000000000L);
        assertThat(i.value().weight).isEqualTo(1f);

        Parsed<Event> f =
                JsonCodec.parseInteraction(
                        b(
                                "{\"user\":\"u:1\",\"action\":\"follow\",\"followee\":\"u:7\",\"ts\":5}"));
        assertThat(f.value().kind).isEqualTo(Event.FOLLOW);
        assertThat(f.value().followee).isEqualTo("u:7");

        Parsed<Event> m =
                JsonCodec.parseItem(
                        b(
                                "{\"item\":\"i:9\",\"category\":\"shoes\",\"brand\":\"acme\",\"tags\":[\"running\"],\"embedding\":[0.1,-0.3],\"ts\":7}"));
        assertThat(m.value().kind).isEqualTo(Event.ITEM);
        assertThat(m.value().tags).containsExactly("running");
        assertThat(m.value().embedding).containsExactly(0.1f, -0.3f);

        Parsed<Request> r =
                JsonCodec.parseRequest(
                        b(
                                "{\"requestId\":\"r-1\",\"user\":\"u:1\",\"k\":20,\"channel\":\"home\",\"ts\":9,\"candidates\":[\"i:1\"]}"),
                        500);
        assertThat(r.value().k).isEqualTo(20);
        assertThat(r.value().hasCandidates()).isTrue();

        Parsed<Event> now =
                JsonCodec.parseInteraction(
                        b("{\"user\":\"u\",\"item\":\"i\",\"action\":\"view\"}"), 42);
        assertThat(now.value().ts).isEqualTo(42); // a missing ts means "now"
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "broken JSON               | {\"user\":\"u\",                                                   | invalid JSON",
                "not an object             | [1,2]                                                               | invalid JSON",
                "unknown field             | {\"user\":\"u\",\"item\":\"i\",\"action\":\"view\",\"colour\":1}     | colour",
                "string for a number       | {\"user\":\"u\",\"item\":\"i\",\"action\":\"view\",\"ts\":\"12\"}    | ts",
                "number for a string       | {\"user\":5,\"item\":\"i\",\"action\":\"view\"}                      | user",
                "missing user              | {\"item\":\"i\",\"action\":\"view\"}                                 | user: missing",
                "empty item                | {\"user\":\"u\",\"item\":\" \",\"action\":\"view\"}                  | item: must not be empty",
                "unknown action            | {\"user\":\"u\",\"item\":\"i\",\"action\":\"teleport\"}              | unknown action",
                "missing action            | {\"user\":\"u\",\"item\":\"i\"}                                      | action: missing",
                "negative timestamp        | {\"user\":\"u\",\"item\":\"i\",\"action\":\"view\",\"ts\":-5}        | ts: must be",
                "far-future timestamp      | {\"user\":\"u\",\"item\":\"i\",\"action\":\"view\",\"ts\":99999999999999999} | ts: must be",
                "zero weight               | {\"user\":\"u\",\"item\":\"i\",\"action\":\"view\",\"weight\":0}     | weight",
                "duplicate key             | {\"user\":\"u\",\"user\":\"v\",\"item\":\"i\",\"action\":\"view\"}   | invalid JSON",
                "trailing garbage          | {\"user\":\"u\",\"item\":\"i\",\"action\":\"view\"} x                | invalid JSON",
                "self follow               | {\"user\":\"u\",\"action\":\"follow\",\"followee\":\"u\"}            | themselves",
                "follow with item          | {\"user\":\"u\",\"action\":\"follow\",\"item\":\"i\",\"followee\":\"v\"} | followee, not an item",
                "NaN literal               | {\"user\":\"u\",\"item\":\"i\",\"action\":\"view\",\"weight\":NaN}   | invalid JSON",
            })
    void rejectsBadInteractionsWithAReason(String name, String json, String reason) {
        Parsed<Event> p = JsonCodec.parseInteraction(b(json.trim()));
        assertThat(p.isOk()).as(name).isFalse();
        assertThat(p.error()).as(name).contains(reason.trim());
    }

    @Test
    void rejectsBadItemsRequestsAndOversizedOrBinaryRecords() {
        assertThat(JsonCodec.parseItem(b("{\"item\":\"i\",\"embedding\":[0,0]}")).error())
                .contains("all components are zero");
        assertThat(JsonCodec.parseItem(b("{\"item\":\"i\",\"embedding\":[1e39]}")).error())
                .contains("embedding");
        assertThat(JsonCodec.parseItem(b("{\"item\":\"i\",\"tags\":[\"\\u0000\"]}")).error())
                .contains("control characters");
        assertThat(JsonCodec.parseRequest(b("{\"requestId\":\"r\",\"k\":5}"), 500).error())
                .contains("needs a user");
        assertThat(
                        JsonCodec.parseRequest(
                                        b("{\"requestId\":\"r\",\"user\":\"u\",\"k\":5000}"), 500)
                                .error())
                .contains("k:");
        assertThat(
                        JsonCodec.parseRequest(
                                        b("{\"requestId\":\"r\",\"user\":\"u\",\"k\":1.5}"), 500)
                                .error())
                .contains("k");
        assertThat(JsonCodec.parseRequest(b("{\"user\":\"u\"}"), 500).error())
                .contains("requestId: missing");
        byte[] huge =
                b("{\"user\":\"" + "x".repeat(70_000) + "\",\"item\":\"i\",\"action\":\"view\"}");
        assertThat(JsonCodec.parseInteraction(huge).error()).contains("exceeds");
        byte[] invalidUtf8 = {
            '{', '"', 'u', 's', 'e', 'r', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
        };
        assertThat(JsonCodec.parseInteraction(invalidUtf8).isOk()).isFalse();
        assertThat(JsonCodec.parseInteraction(new byte[0]).error()).isEqualTo("empty record");
        assertThat(JsonCodec.parseInteraction(b("null")).error()).isEqualTo("not a JSON object");
    }

    @Test
    void suppliedVectorsCarryTheirModelAndMustHaveTheConfiguredDimension() {
        Parsed<Event> ok =
                JsonCodec.parseItem(
                        b("{\"item\":\"i:9\",\"embedding\":[0.5,-1,2],\"model\":\"sage-7\"}"),
                        1,
                        3,
                        1024);
        assertThat(ok.error()).isNull();
        assertThat(ok.value().model).isEqualTo("sage-7");
        assertThat(
                        JsonCodec.parseItem(
                                        b(
                                                "{\"item\":\"i:9\",\"embedding\":[0.5,-1],\"model\":\"sage-7\"}"),
                                        1,
                                        3,
                                        1024)
                                .error())
                .isEqualTo(
                        "embedding: wrong dimension, expected 3 components (embedding.suppliedDim), got 2");
        assertThat(
                        JsonCodec.parseItem(
                                        b("{\"item\":\"i:9\",\"embedding\":[1,2,3,4]}"), 1, 0, 3)
                                .error())
                .contains("more than 3 components");
        assertThat(
                        JsonCodec.parseItem(
                                        b("{\"item\":\"i:9\",\"embedding\":[NaN,1,2]}"), 1, 3, 1024)
                                .error())
                .contains("invalid JSON");
        assertThat(
                        JsonCodec.parseItem(
                                        b("{\"item\":\"i:9\",\"embedding\":[1e999,1,2]}"),
                                        1,
                                        3,
                                        1024)
                                .error())
                .contains("embedding[0]: not a finite number");
        assertThat(
                        JsonCodec.parseItem(
                                        b("{\"item\":\"i:9\",\"model\":\"sage-7\"}"), 1, 3, 1024)
                                .error())
                .contains("model: names the model of an embedding");
        // Without a configured dimension any size up to the maximum is accepted, as before.
        assertThat(
                        JsonCodec.parseItem(b("{\"item\":\"i:9\",\"embedding\":[1,2]}"), 1, 0, 1024)
                                .isOk())
                .isTrue();
    }

    @Test
    void recommendationsRoundTrip() throws Exception {
        Recommendation r = new Recommendation();
        r.requestId = "r-1";
        r.user = "u:1";
        RecommendedItem it = new RecommendedItem();
        it.item = "i:4";
        it.score = 0.82;
        it.via = new String[] {"i:123"};
        it.reasons = new String[] {"because you interacted with i:123"};
        r.items = new RecommendedItem[] {it};
        r.latencyMs = 14;
        String json = JsonCodec.writeString(r);
        assertThat(json)
                .startsWith(
                        "{\"requestId\":\"r-1\",\"user\":\"u:1\",\"items\":[{\"item\":\"i:4\",\"score\":0.82");
        Recommendation back = JsonCodec.readRecommendation(b(json));
        assertThat(back.items[0].via).containsExactly("i:123");
        assertThat(back.latencyMs).isEqualTo(14);
    }

    @Test
    void theWireFormOfARequestKeepsInspectAndVariant() {
        Request r =
                JsonCodec.parseRequest(
                                b(
                                        "{\"requestId\":\"r\",\"inspect\":\"u:1\",\"variant\":\"lively\"}"),
                                100)
                        .value();
        Request back = JsonCodec.parseRequest(WireJson.request(r), 100).value();
        assertThat(back.inspect).isEqualTo("u:1");
        assertThat(back.variant).isEqualTo("lively");
    }

    @Test
    void anInspectOfAKeyIsKeyedByThatKey() {
        Request byKey = new Request();
        byKey.inspect = "#" + String.format("%016x", io.walkstream.model.NodeIds.hash("i:9"));
        Request byId = new Request();
        byId.inspect = "i:9";
        assertThat(byKey.seedNode()).isEqualTo(byId.seedNode());
        Request notAKey = new Request();
        notAKey.inspect = "#not-a-hex-key!!";
        assertThat(notAKey.seedNode())
                .isEqualTo(io.walkstream.model.NodeIds.hash("#not-a-hex-key!!"));
    }
}
