package io.walkstream.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a bare socket, one connection per exchange ({@code Connection: close}), for tests
 * that send what no well-behaved client library would (broken headers, lying lengths) and for a
 * client that must never trip over a pooled connection the server has just closed. Loopback only.
 */
final class RawHttp {
    private RawHttp() {}

    /** The answer: its status (-1 when the server closed without one), head and body. */
    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /**
     * A request's head, with {@code Host}, {@code Content-Length} (of {@code bodyLength}) and
     * {@code Connection: close}.
     */
    static String head(
            String method,
            String path,
            String authorization,
            long bodyLength,
            String... extraHeaders) {
        StringBuilder sb =
                new StringBuilder(method)
                        .append(' ')
                        .append(path)
                        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (authorization != null) {
            sb.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (bodyLength >= 0) {
            sb.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    static Answer post(int port, String path, String authorization, String json)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return exchange(port, head("POST", path, authorization, body.length), body);
    }

    /**
     * Sends the head and body, then reads until the server closes. A server may answer and close
     * before reading all of a body it refuses; the write then fails, and the answer is still read.
     */
    static Answer exchange(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(body);
                s.getOutputStream().flush();
            } catch (IOException refusedMidWrite) {
                // read what the server said before it closed
            }
            return parse(readAll(s.getInputStream()));
        }
    }

    /**
     * Everything until the server closes (a reset ends it too); a server that never closes is a
     * timeout.
     */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            // closed abruptly: what arrived before is the answer (none, if nothing did)
        }
        return out.toByteArray();
    }

    static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            return new Answer(-1, text, "");
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        return new Answer(Integer.parseInt(text.substring(9, 12)), head, body);
    }
}
