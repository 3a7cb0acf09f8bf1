package ai.metaspark.data.omniglot;

import ai.metaspark.data.DataException;

import java.util.Arrays;
import java.util.Locale;

/**
 * How Omniglot's characters are divided into the training, validation and test class pools.
 */
public enum Protocol {
    /**
     * Vinyals et al. (2016), "Matching networks for one shot learning", with the split files of Snell et al.'s
     * prototypical networks: {@code splits/vinyals/{train,val,test}.txt} in the data folder, for TRAIN, VALIDATION and
     * TEST. Each line {@code <Alphabet>/character<NN>/rot<DDD>} is one class: the 20 drawings of that character turned
     * DDD degrees counterclockwise. Class counts: 4,112 / 688 / 1,692 (1,028 / 172 / 423 characters x 4 turns).
     */
    VINYALS,
    /**
     * Finn et al. (2017), "Model-agnostic meta-learning": the 1,623 characters in id order, shuffled with the fixed
     * seed 1 (a Fisher-Yates shuffle with {@code java.util.SplittableRandom}, so the order differs from
     * Finn et al.'s Python shuffle); the first 1,200 are the meta-training characters and the other 423
     * the TEST characters. Finn et al. train on all 1,200 and their code validates on the test characters; here the
     * last 100 of the 1,200 are held out as VALIDATION, so model selection never sees
     * a test character, and TRAIN uses the first 1,100. A class is a character; each class of a task is turned by a
     * random multiple of 90 degrees (0/90/180/270), drawn per class per task.
     */
    MAML;

    /** The protocol named {@code name} (case-insensitive: {@code vinyals} or {@code maml}). */
    public static Protocol of(String name) {
        for (Protocol p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) return p;
        }
        throw new DataException("unknown Omniglot protocol '" + name + "', expected one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
