package ai.metaspark.data.omniglot;

import ai.metaspark.data.DataException;
import ai.metaspark.data.Episode;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSampler;
import ai.metaspark.task.TaskSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** N-way K-shot episodes on the real data: the invariants every task must satisfy, and determinism. */
class OmniglotFamilyTest {
    private static final TaskSampler SAMPLER = new TaskSampler(11);
    private static String location;
    private static OmniglotDataset data;

    @BeforeAll
    static void load() {
        location = OmniglotTestData.realFolder().toString();
        data = OmniglotDataset.load(location);
    }

    @Test
    void episodesSatisfyTheNWayKShotInvariants() {
        for (Protocol protocol : Protocol.values()) {
            for (Split split : Split.values()) {
                for (int i = 0; i < 20; i++) {
                    checkEpisode(new OmniglotFamily(location, protocol, 5), SAMPLER.spec(split, 3, i), 1, 15);
                    checkEpisode(new OmniglotFamily(location, protocol, 20), SAMPLER.spec(split, 3, i), 5, 5);
                }
            }
        }
    }

    /** Shapes, one-hot class-major labels, distinct classes, disjoint drawings, and rows equal to the planned images. */
    private static void checkEpisode(OmniglotFamily family, TaskSpec spec, int k, int q) {
        int n = family.outputSize();
        Task task = family.materialize(spec, k, q);
        Episode episode = family.episode(spec, k, q);
        checkBatch(task.support(), episode, n, k, 0);
        checkBatch(task.query(), episode, n, q, k);
        Set<Long> classes = new HashSet<>();
        for (int label = 0; label < n; label++) {
            classes.add(episode.classes()[label] * 4L + episode.quarterTurns()[label]);
            assertEquals(k + q, distinct(episode.images()[label]), "support and query drawings are distinct");
        }
        assertEquals(n, classes.size(), "classes are distinct");
    }

    private static void checkBatch(Batch batch, Episode episode, int n, int perClass, int firstDrawing) {
        assertEquals(n * perClass, batch.n());
        assertEquals(784, batch.inDim());
        assertEquals(n, batch.outDim());
        for (int row = 0; row < batch.n(); row++) {
            int label = row / perClass;
            for (int j = 0; j < n; j++) assertEquals(j == label ? 1.0 : 0.0, batch.y()[row * n + j], "one-hot, class-major");
            byte[] expected = Glyphs.turn(data.image(episode.classes()[label],
                    episode.images()[label][firstDrawing + row % perClass]), episode.quarterTurns()[label]);
            for (int p = 0; p < 784; p++) assertEquals((expected[p] & 0xFF) / 255.0, batch.x()[row * 784 + p]);
        }
    }

    @Test
    void metaTrainingTasksMayHaveMoreClassesThanTheOthers() {
        OmniglotFamily family = new OmniglotFamily(location, Protocol.VINYALS, 60, 5);
        assertEquals(5, family.outputSize());
        Task train = family.materialize(SAMPLER.spec(Split.TRAIN, 2, 0), 1, 5);
        assertEquals(60, train.support().outDim());
        assertEquals(60, train.support().n());
        assertEquals(300, train.query().n());
        for (Split split : new Split[] {Split.VALIDATION, Split.TEST}) {
            Task t = family.materialize(SAMPLER.spec(split, 2, 0), 1, 5);
            assertEquals(5, t.support().outDim());
            assertEquals(25, t.query().n());
        }
        assertTrue(family.toString().contains("60-way training"), family.toString());
    }

    @Test
    void theSameSpecGivesTheSameTaskAndAnotherIndexOtherClasses() throws Exception {
        OmniglotFamily family = new OmniglotFamily(location, Protocol.VINYALS, 5);
        TaskSpec spec = SAMPLER.spec(Split.TRAIN, 7, 2);
        Task a = family.materialize(spec, 1, 15);
        Task b = roundTrip(family).materialize(spec, 1, 15);
        assertArrayEquals(a.support().x(), b.support().x(), 0);
        assertArrayEquals(a.query().x(), b.query().x(), 0);
        assertArrayEquals(a.query().y(), b.query().y(), 0);
        Set<Integer> first = characters(family.episode(spec, 1, 15));
        for (int i = 3; i < 13; i++) {
            assertNotEquals(first, characters(family.episode(SAMPLER.spec(Split.TRAIN, 7, i), 1, 15)));
        }
    }

    @Test
    void familySerializesWithoutItsImages() throws Exception {
        assertTrue(serialize(new OmniglotFamily(location, Protocol.MAML, 20)).length < 1000);
    }

    @Test
    void labelsComeInRandomOrderAndMamlTurnsAllFourWays() {
        OmniglotFamily family = new OmniglotFamily(location, Protocol.MAML, 5);
        int unsorted = 0;
        int[] turns = new int[4];
        for (int i = 0; i < 200; i++) {
            Episode e = family.episode(SAMPLER.spec(Split.TRAIN, 0, i), 1, 1);
            int[] c = e.classes();
            if (!(c[0] < c[1] && c[1] < c[2] && c[2] < c[3] && c[3] < c[4])) unsorted++;
            for (int t : e.quarterTurns()) turns[t]++;
        }
        assertTrue(unsorted > 180, "labels are not given in pool or id order: " + unsorted + "/200 unsorted");
        for (int t = 0; t < 4; t++) assertTrue(turns[t] > 180 && turns[t] < 320, "turn " + t + " drawn " + turns[t] + " of 1000 times");
    }

    @Test
    void tasksDrawOnlyFromTheirSplit() {
        OmniglotFamily family = new OmniglotFamily(location, Protocol.VINYALS, 20);
        Set<Integer> test = new HashSet<>();
        for (int c : ClassPools.of(location, Protocol.VINYALS).get(Split.TEST).characters()) test.add(c);
        for (int i = 0; i < 50; i++) {
            for (int c : family.episode(SAMPLER.spec(Split.TRAIN, 1, i), 1, 1).classes()) assertTrue(!test.contains(c));
            for (int c : family.episode(SAMPLER.spec(Split.TEST, 0, i), 1, 1).classes()) assertTrue(test.contains(c));
        }
    }

    @Test
    void requestsTheDataCannotMeetAreRefusedWithTheValue() {
        TaskSpec spec = SAMPLER.spec(Split.VALIDATION, 0, 0);
        assertMessage("101", "100 classes of split VALIDATION", () -> new OmniglotFamily(location, Protocol.MAML, 101).materialize(spec, 1, 1));
        assertMessage("K + Q = 5 + 16 = 21", "only 20", () -> new OmniglotFamily(location, Protocol.MAML, 5).materialize(spec, 5, 16));
        assertMessage("at least 1, got 0", "K", () -> new OmniglotFamily(location, Protocol.VINYALS, 5).materialize(spec, 0, 5));
        assertMessage("n_way must be at least 2, got 1", "", () -> new OmniglotFamily(location, Protocol.VINYALS, 1));
    }

    /** Prints the time per task of the common episode shapes (no bound asserted: the machine is shared). */
    @Test
    void timesMaterialize() {
        for (int n : new int[] {5, 20}) {
            OmniglotFamily family = new OmniglotFamily(location, Protocol.VINYALS, n);
            for (int i = 0; i < 200; i++) family.materialize(SAMPLER.spec(Split.TRAIN, 0, i), 1, 15);
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) family.materialize(SAMPLER.spec(Split.TRAIN, 1, i), 1, 15);
            System.err.printf(Locale.ROOT, "omniglot: %d-way 1-shot 15-query materialize %.3f ms%n", n, (System.nanoTime() - start) / 1e9);
        }
    }

    static void assertMessage(String part, String other, org.junit.jupiter.api.function.Executable call) {
        DataException e = assertThrows(DataException.class, call);
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(other), e.getMessage());
    }

    private static Set<Integer> characters(Episode e) {
        Set<Integer> s = new HashSet<>();
        for (int c : e.classes()) s.add(c);
        return s;
    }

    private static int distinct(int[] values) {
        Set<Integer> s = new HashSet<>();
        for (int v : values) s.add(v);
        return s.size();
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static OmniglotFamily roundTrip(OmniglotFamily family) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(family)))) {
            return (OmniglotFamily) in.readObject();
        }
    }
}
