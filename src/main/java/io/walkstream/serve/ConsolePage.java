package io.walkstream.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The web console's page, one file in the jar (styles and script inside it, nothing fetched). */
final class ConsolePage {
    private static final String RESOURCE = "/console/index.html";
    private static volatile byte[] html;

    private ConsolePage() {}

    static byte[] html() {
        byte[] page = html;
        if (page == null) {
            try (InputStream in = ConsolePage.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the jar");
                }
                page = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            html = page;
        }
        return page;
    }
}
