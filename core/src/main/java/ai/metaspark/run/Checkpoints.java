package ai.metaspark.run;

import ai.metaspark.io.Files;
import ai.metaspark.io.Json;
import ai.metaspark.io.Vectors;
import ai.metaspark.train.TrainState;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Checkpoints in {@code <run>/checkpoints/step-NNNNNNNNN/}: {@code state.bin} (the {@link TrainState} as raw doubles,
 * no Java serialization) and {@code checkpoint.json} (step, resolved config, provenance, CRC32 of state.bin). Each is
 * written to a hidden temporary folder that is renamed into place, so a checkpoint is whole or absent; the newest
 * {@code keep} are kept.
 */
public final class Checkpoints {
    private static final int MAGIC = 0x4D534B31; // "MSK1"
    private static final String PREFIX = "step-";

    private Checkpoints() {
    }

    /**
     * Writes {@code s} with the recipe it was trained with ({@code config}, every key) and its {@code provenance},
     * keeping the newest {@code keep} checkpoints.
     */
    public static void write(FileSystem fs, Path dir, TrainState s, Map<String, Object> config, Map<String, Object> provenance,
                             int keep) throws IOException {
        byte[] state = encode(s);
        String name = name(s.step());
        Path tmp = new Path(dir, ".tmp-" + name);
        fs.delete(tmp, true);
        fs.mkdirs(tmp);
        try {
            Files.writeAtomically(fs, new Path(tmp, "state.bin"), state);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("step", s.step());
            meta.put("state_crc32", crc(state));
            meta.put("config", config);
            meta.put("provenance", provenance);
            Files.writeAtomically(fs, new Path(tmp, "checkpoint.json"), Json.pretty(meta));
        } catch (IOException e) {
            deleteQuietly(fs, tmp); // a full disk: give back what was written (list() never takes it for a checkpoint)
            throw e;
        }
        Path target = new Path(dir, name);
        fs.delete(target, true);
        if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
        prune(fs, dir, keep);
    }

    /** The folder name of the checkpoint of {@code step}. */
    public static String name(int step) {
        return String.format("%s%09d", PREFIX, step);
    }

    /** Checkpoint folders, oldest first. */
    public static List<Path> list(FileSystem fs, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        for (FileStatus f : fs.listStatus(dir)) {
            if (f.isDirectory() && f.getPath().getName().startsWith(PREFIX)) out.add(f.getPath());
        }
        out.sort((a, b) -> a.getName().compareTo(b.getName()));
        return out;
    }

    /** Reads a checkpoint folder; refuses one whose state does not match its recorded checksum. */
    public static TrainState read(FileSystem fs, Path checkpoint) throws IOException {
        byte[] state;
        try (InputStream in = fs.open(new Path(checkpoint, "state.bin"))) {
            state = in.readAllBytes();
        }
        Map<?, ?> meta;
        try (InputStream in = fs.open(new Path(checkpoint, "checkpoint.json"))) {
            meta = Json.MAPPER.readValue(in, Map.class);
        }
        long expected = ((Number) meta.get("state_crc32")).longValue();
        if (crc(state) != expected) throw new IOException("checkpoint " + checkpoint + " is corrupt (checksum mismatch)");
        return decode(state);
    }

    /** The recipe (every key and value) a checkpoint was written with. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> config(FileSystem fs, Path checkpoint) throws IOException {
        try (InputStream in = fs.open(new Path(checkpoint, "checkpoint.json"))) {
            Map<?, ?> meta = Json.MAPPER.readValue(in, Map.class);
            return (Map<String, Object>) meta.get("config");
        }
    }

    private static void deleteQuietly(FileSystem fs, Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // the failure being reported matters more; the next write of this checkpoint deletes it again
        }
    }

    private static void prune(FileSystem fs, Path dir, int keep) throws IOException {
        List<Path> all = list(fs, dir);
        for (int i = 0; i < all.size() - keep; i++) {
            fs.delete(all.get(i), true);
        }
    }

    static byte[] encode(TrainState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(s.step());
            out.writeDouble(s.bestValidation());
            out.writeInt(s.badValidations());
            for (double[] a : Arrays.asList(s.meta(), s.optimizerState(), s.bestMeta())) {
                Vectors.write(out, a);
            }
        }
        return bytes.toByteArray();
    }

    static TrainState decode(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) throw new IOException("not a MetaSpark checkpoint state");
            int step = in.readInt();
            double best = in.readDouble();
            int bad = in.readInt();
            return new TrainState(step, Vectors.read(in), Vectors.read(in), Vectors.read(in), best, bad);
        }
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
