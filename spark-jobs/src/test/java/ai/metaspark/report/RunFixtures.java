package ai.metaspark.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Hand-written run folders with what future runs will have, and the PNGs of a report page. */
final class RunFixtures {
    private static final Pattern IMG = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    private RunFixtures() {
    }

    /**
     * A classification run: no meta_batch in config.yaml, accuracy fields, Spark listener lines ({@code kind}), NaN
     * written as numbers and as strings, a truncated last line, and NaN / Infinity in eval.json.
     */
    static Path classificationRun(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"),
                "algorithm: protonet\ntask: omniglot\nmeta_steps: 300\nhidden:\n- 64\n- 64\nouter_lr: 0.001\n");
        StringBuilder m = new StringBuilder();
        for (int step = 10; step <= 300; step += 10) {
            double loss = 2.0 * Math.exp(-step / 100.0) + 0.2;
            String pre = step == 50 ? "\"NaN\"" : String.format(Locale.ROOT, "%.4f", loss + 0.5);     // NaN as a string
            m.append(String.format(Locale.ROOT, "{\"step\":%d,\"loss_pre\":%s,\"loss_post\":%.4f,\"acc_pre\":%.4f,\"acc_post\":%.4f,"
                    + "\"grad_norm\":1.0,\"lr\":0.001,\"steps_per_s\":%.2f}%n",
                    step, pre, loss, 0.2 + step / 1000.0, 0.3 + step / 500.0, 40 + 10 * Math.sin(step / 40.0)));
            m.append("{\"kind\":\"stage\",\"stage\":").append(step).append(",\"tasks\":25,\"ms\":12}\n");
            if (step % 50 == 0) {
                m.append(String.format(Locale.ROOT, "{\"step\":%d,\"val_loss\":%s,\"val_acc\":%.3f,\"best\":%b}%n",
                        step, step == 100 ? "NaN" : String.format(Locale.ROOT, "%.4f", loss + 0.1),       // NaN as a number
                        0.3 + step / 600.0, step != 250));
            }
        }
        Files.writeString(dir.resolve("metrics.jsonl"), m + "{\"step\":310,\"loss_pre\":1.");
        Files.writeString(dir.resolve("eval.json"), "{\"metric\":\"accuracy\",\"mean\":\"NaN\",\"ci95\":0.021,\"tasks\":50,\"post_step\":5,"
                + "\"per_step\":[0.2,0.41,0.55,\"NaN\",0.63,0.66,\"Infinity\"],\"adapt_ms_mean\":0.8,\"algorithm\":\"protonet\","
                + "\"steps\":300,\"train_seconds\":7.5}");
        return dir;
    }

    /** The images of a report page, decoded; fails on an image that is not a PNG. */
    static List<BufferedImage> images(String html) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            if (image == null) throw new IOException("an <img> is not a PNG");
            images.add(image);
        }
        return images;
    }

    /** The variance of the pixels' brightness: 0 for a blank image. */
    static double variance(BufferedImage image) {
        double sum = 0;
        double squares = 0;
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double v = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                sum += v;
                squares += v * v;
            }
        }
        return squares / n - (sum / n) * (sum / n);
    }

    /** Runs a command line in this JVM; its stderr goes to {@code err[0]}. */
    static synchronized int cli(String[] err, String... args) {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
            return ai.metaspark.cli.MetaSparkCli.run(args);
        } finally {
            System.setErr(old);
            err[0] = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
