package io.walkstream.gen;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Bad records of the kinds real producers send — truncated JSON, wrong types, missing or unknown
 * fields, absurd timestamps, invalid UTF-8 — so the dead-letter path is exercised continuously.
 */
public final class MalformedRecords {
    private static final String[] INTERACTIONS = {
        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\"", // truncated
        "{\"user\":42,\"item\":\"i:1\",\"action\":\"view\"}", // wrong type
        "{\"item\":\"i:1\",\"action\":\"view\"}", // missing user
        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"teleport\"}", // unknown action
        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"ts\":99999999999999999}", // absurd timestamp
        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"colour\":\"red\"}", // unknown
        // field
        "not json at all",
    };
    private static final String[] ITEMS = {
        "{\"item\":\"\",\"category\":\"c1\"}", // empty id
        "{\"item\":\"i:1\",\"embedding\":[\"a\",\"b\"]}", // wrong element type
    };
    private static final String[] REQUESTS = {
        "{\"requestId\":\"bad-1\",\"k\":10}", // neither user nor item
        "{\"requestId\":\"bad-2\",\"user\":\"u:1\",\"k\":-5}", // bad k
        "{\"user\":\"u:1\",\"k\":10}", // missing requestId
    };

    private MalformedRecords() {}

    public static byte[] interaction(SplittableRandom rnd) {
        if (rnd.nextInt(INTERACTIONS.length + 1) == 0) {
            return invalidUtf8();
        }
        return bytes(INTERACTIONS[rnd.nextInt(INTERACTIONS.length)]);
    }

    public static byte[] item(SplittableRandom rnd) {
        return bytes(ITEMS[rnd.nextInt(ITEMS.length)]);
    }

    public static byte[] request(SplittableRandom rnd) {
        return bytes(REQUESTS[rnd.nextInt(REQUESTS.length)]);
    }

    /** A user id with bytes that are not UTF-8 (0xC3 0x28). */
    static byte[] invalidUtf8() {
        byte[] head = bytes("{\"user\":\"u:");
        byte[] tail = bytes("\",\"item\":\"i:1\",\"action\":\"view\"}");
        byte[] out = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) 0xC3;
        out[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, out, head.length + 2, tail.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
