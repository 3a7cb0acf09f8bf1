package ai.metaspark.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.html as a browser shows it: headless Chromium decodes every plot, and the page it draws is not blank. */
class RunReportChromiumTest {
    /** Appended to a copy of the page: writes how many images the browser decoded, and their widths, onto the body. */
    private static final String PROBE = "<script>addEventListener('load', () => { const i = [...document.images];"
            + " document.body.dataset.loadedImages = i.filter(x => x.complete && x.naturalWidth > 0).length;"
            + " document.body.dataset.imageWidths = i.map(x => x.naturalWidth).join(' '); });</script>";
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 1000;

    @TempDir
    Path tmp;

    @Test
    void chromiumDecodesEveryPlotAndDrawsThePage() throws IOException, InterruptedException {
        Path run = RunFixtures.classificationRun(tmp.resolve("run"));
        RunReport.write(run.toString());
        Path report = run.resolve(RunReport.FILE);
        String html = Files.readString(report);
        int images = RunFixtures.images(html).size();
        assertEquals(7, images);

        Path probe = Files.writeString(tmp.resolve("probe.html"), html.replace("</body>", PROBE + "</body>"));
        String dom = Chromium.run(tmp, "--dump-dom", "--virtual-time-budget=5000", probe.toUri().toString());
        assertEquals(String.valueOf(images), attribute(dom, "data-loaded-images"), "images Chromium decoded");
        assertEquals((Plots.WIDTH + " ").repeat(images).trim(), attribute(dom, "data-image-widths"));

        Path shot = tmp.resolve("screenshot.png");
        Chromium.run(tmp, "--screenshot=" + shot, "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars", report.toUri().toString());
        BufferedImage page = ImageIO.read(shot.toFile());
        assertEquals(WIDTH, page.getWidth());
        assertEquals(HEIGHT, page.getHeight());
        assertTrue(RunFixtures.variance(page) > 0, "blank screenshot");
        assertTrue(seriesPixels(page) > 500, "the first series' blue drawn in the plots: " + seriesPixels(page));
        Path keep = Path.of("target", "report-chromium.png");     // for people: what the test saw
        Files.createDirectories(keep.getParent());
        Files.copy(shot, keep, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), name + " not set by the probe script; the page did not load:\n" + dom.substring(0, Math.min(dom.length(), 2000)));
        return m.group(1);
    }

    /** Pixels close to the plots' first series colour (#1f77b4), which nothing else on the page uses. */
    private static int seriesPixels(BufferedImage page) {
        int n = 0;
        for (int y = 0; y < page.getHeight(); y++) {
            for (int x = 0; x < page.getWidth(); x++) {
                int rgb = page.getRGB(x, y);
                int dr = ((rgb >> 16) & 0xff) - 0x1f;
                int dg = ((rgb >> 8) & 0xff) - 0x77;
                int db = (rgb & 0xff) - 0xb4;
                if (dr * dr + dg * dg + db * db < 900) n++;
            }
        }
        return n;
    }
}
