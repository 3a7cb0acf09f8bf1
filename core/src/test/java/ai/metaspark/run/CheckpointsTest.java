package ai.metaspark.run;

import ai.metaspark.config.RunConfig;
import ai.metaspark.train.TrainState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {
    @TempDir
    java.nio.file.Path tmp;

    private static TrainState state(int step) {
        return new TrainState(step, new double[]{step, -1.5, Math.PI}, new double[]{0.25, 1e-300}, new double[]{1, 2, 3}, 0.125, 2);
    }

    @Test
    void roundTripKeepsTheNewestAndLeavesNoTemporaries() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path dir = new Path(tmp.toUri().toString(), "checkpoints");
        for (int step = 10; step <= 50; step += 10) Checkpoints.write(fs, dir, state(step), RunConfig.defaults().asMap(), Map.of(), 3);
        List<Path> kept = Checkpoints.list(fs, dir);
        assertEquals(List.of("step-000000030", "step-000000040", "step-000000050"), kept.stream().map(Path::getName).toList());
        TrainState back = Checkpoints.read(fs, kept.get(2));
        assertEquals(50, back.step());
        assertArrayEquals(state(50).meta(), back.meta(), 0.0);
        assertArrayEquals(state(50).optimizerState(), back.optimizerState(), 0.0);
        assertEquals(0.125, back.bestValidation());
        assertEquals(2, back.badValidations());
        assertEquals(3, fs.listStatus(dir).length, "no temporary folders left behind");
    }

    @Test
    void aCorruptStateIsRefused() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path dir = new Path(tmp.toUri().toString(), "checkpoints");
        Checkpoints.write(fs, dir, state(7), RunConfig.defaults().asMap(), Map.of(), 3);
        Path cp = Checkpoints.list(fs, dir).get(0);
        byte[] bytes;
        try (var in = fs.open(new Path(cp, "state.bin"))) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length - 1] ^= 1;
        try (OutputStream out = fs.create(new Path(cp, "state.bin"), true)) {
            out.write(bytes);
        }
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(fs, cp));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aHalfWrittenCheckpointLeftByACrashIsNeverTakenForOne() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path dir = new Path(tmp.toUri().toString(), "checkpoints");
        Checkpoints.write(fs, dir, state(10), RunConfig.defaults().asMap(), Map.of(), 3);
        try (OutputStream out = fs.create(new Path(dir, ".tmp-step-000000020/.state.bin.tmp"), true)) {
            out.write(Checkpoints.encode(state(20)), 0, 40); // the driver died (or the disk filled) mid-write
        }
        assertEquals(List.of("step-000000010"), Checkpoints.list(fs, dir).stream().map(Path::getName).toList());
        Checkpoints.write(fs, dir, state(20), RunConfig.defaults().asMap(), Map.of(), 3);
        assertEquals(20, Checkpoints.read(fs, Checkpoints.list(fs, dir).get(1)).step());
        assertEquals(2, fs.listStatus(dir).length, "the leftover was replaced by the whole checkpoint");
    }
}
