package ai.metaspark.config;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunConfigTest {
    private static RunConfig yaml(String text, String... overrides) {
        return RunConfig.fromYaml(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml", List.of(overrides));
    }

    @Test
    void yamlValuesOverridesAndDefaults() {
        RunConfig c = yaml("algorithm: reptile\nmeta_steps: 7e4\nhidden: [20, 30]\n", "meta_batch=5", "hidden=64");
        assertEquals("reptile", c.get(Keys.ALGORITHM));
        assertEquals(70000, c.getInt(Keys.META_STEPS));
        assertEquals(5, c.getInt(Keys.META_BATCH));
        assertEquals(List.of(64), c.get(Keys.HIDDEN));
        assertEquals(0.01, c.getDouble(Keys.INNER_LR));
        assertEquals(Keys.all().size(), c.asMap().size());
    }

    @Test
    void onOffKeysReadAsBooleans() {
        RunConfig c = yaml("lslr: true\n", "msl=false");
        assertTrue(c.isOn(Keys.LSLR));
        assertFalse(c.isOn(Keys.MSL));
        assertFalse(c.isOn(Keys.PER_STEP_BN), "default");
    }

    @Test
    void resolvedYamlReadsBackEqual() {
        RunConfig c = yaml("algorithm: metasgd\n", "outer_lr=0.003", "hidden=8,9");
        assertEquals(c, yaml(c.toYaml()));
    }

    @Test
    void badInputIsRejectedByName() {
        assertMessage(() -> yaml("meta_stepz: 5\n"), "unknown config key 'meta_stepz'");
        assertMessage(() -> yaml("", "meta_batch=abc"), "'meta_batch': bad value 'abc'");
        assertMessage(() -> yaml("", "meta_batch=0"), "'meta_batch': bad value '0' (expected an integer >= 1)");
        assertMessage(() -> yaml("", "k_shot=-3"), "'k_shot': bad value '-3'");
        assertMessage(() -> yaml("", "meta_steps=1.5"), "'meta_steps': bad value '1.5'");
        assertMessage(() -> yaml("", "inner_lr=-0.1"), "'inner_lr'");
        assertMessage(() -> yaml("", "algorithm=mamll"), "'algorithm': bad value 'mamll'");
        assertMessage(() -> yaml("", "hidden=40,0"), "'hidden'");
        assertMessage(() -> yaml("", "noequals"), "bad override 'noequals'");
        assertMessage(() -> yaml("- just\n- a list\n"), "is not a YAML mapping");
        assertMessage(() -> yaml("# a recipe\nmeta_batch: 4\nseed: 2\nmeta_batch: 8\n"), "key 'meta_batch' is given twice (lines 2 and 4)");
    }

    private static void assertMessage(Runnable r, String expected) {
        ConfigException e = assertThrows(ConfigException.class, r::run);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
