package org.spikeloop.server.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.spikeloop.server.http.HttpReply;
import org.spikeloop.server.http.HttpRoute;
import org.spikeloop.server.http.RouteRequest;

/**
 * The page's static files, read once from the jar at start-up: its own HTML, script and style
 * ({@code org/spikeloop/server/page/} in the resources) and uPlot's script and style from the uPlot
 * WebJar (Maven Central {@code org.webjars.npm:uplot}; its version read from the WebJar's own
 * {@code pom.properties}, so a dependency update needs no code change). A fixed table of paths: no
 * path from a request ever reaches the class loader. Public routes: they hold no data of the
 * server.
 */
final class PageFiles {
    private static final String OWN = "org/spikeloop/server/page/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private PageFiles() {}

    /** Path → route for every file. */
    static Map<String, HttpRoute> routes() {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        Map<String, HttpRoute> m = new LinkedHashMap<>();
        m.put("/", file(OWN + "index.html", "text/html; charset=utf-8"));
        m.put("/page/app.js", file(OWN + "app.js", "text/javascript; charset=utf-8"));
        m.put("/page/style.css", file(OWN + "style.css", "text/css; charset=utf-8"));
        m.put(
                "/page/uPlot.min.js",
                file(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        m.put("/page/uPlot.min.css", file(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
        return m;
    }

    static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException(UPLOT_POM + " is not on the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static HttpRoute file(String resource, String contentType) {
        byte[] body;
        try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return new HttpRoute() {
            @Override
            public HttpReply handle(RouteRequest request) {
                return HttpReply.ok(contentType, body);
            }

            @Override
            public boolean isPublic() {
                return true;
            }
        };
    }
}
