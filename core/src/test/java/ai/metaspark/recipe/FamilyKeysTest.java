package ai.metaspark.recipe;

import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.Keys;
import ai.metaspark.task.TaskFamily;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task family sees the configuration only through the keys its provider declares. */
class FamilyKeysTest {
    /** Declares n_way and the data folder; builds no family. */
    private static final class Declaring implements TaskFamilyProvider {
        @Override
        public String name() {
            return "declaring";
        }

        @Override
        public Set<ConfigKey<?>> keys() {
            return Set.of(Keys.N_WAY, Keys.DATA);
        }

        @Override
        public TaskFamily family(FamilyKeys keys) {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public String defaultModel() {
            return "mlp";
        }

        @Override
        public Optional<String> dataLocation(FamilyKeys keys) {
            return Optional.of(keys.get(Keys.DATA));
        }
    }

    @Test
    void declaredKeysReadTheRecipesValues() {
        FamilyKeys keys = new FamilyKeys(new Declaring(), Recipe.defaults().with("n_way=7", "data=/somewhere").config());
        assertEquals(7, keys.getInt(Keys.N_WAY));
        assertEquals("/somewhere", keys.get(Keys.DATA));
    }

    @Test
    void anUndeclaredKeyIsRefusedNamingTheFamilyAndTheKey() {
        FamilyKeys keys = new FamilyKeys(new Declaring(), Recipe.defaults().config());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keys.getInt(Keys.K_SHOT));
        assertTrue(e.getMessage().contains("'declaring'") && e.getMessage().contains("'k_shot'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> keys.get(Keys.ALGORITHM));
    }

    @Test
    void everyRegisteredFamilyDeclaresTheKeysItsDataLocationAndSettingsRead() {
        for (String name : Families.names()) {
            TaskFamilyProvider p = Families.named(name);
            FamilyKeys keys = new FamilyKeys(p, Recipe.defaults().with("task=" + name).config());
            p.dataLocation(keys);
        }
        // a table's family needs the table prepared (spark-jobs); its settings read the same keys
        ai.metaspark.data.table.TableProvider.spec(Recipe.defaults().with("task=table", "features=a,b").familyKeys());
    }
}
