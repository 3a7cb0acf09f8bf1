package ai.metaspark.data.imagefolder;

import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.Keys;
import ai.metaspark.data.DataLocation;
import ai.metaspark.recipe.FamilyKeys;
import ai.metaspark.recipe.TaskFamilyProvider;
import ai.metaspark.task.ImageShape;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;
import java.util.Set;

/**
 * {@code task: image-folder}: N-way ({@code n_way}; meta-training {@code train_n_way}-way when set) tasks from the
 * folder of class folders {@code data}, its images as {@code channels} x {@code image_size}^2, split by
 * {@code class_split} (with {@code split_seed}), with {@code rotate_classes}; a class takes part in training tasks with
 * at least {@code k_shot + k_query} images, in held-out tasks with {@code k_shot + eval_query}.
 */
public final class ImageFolderProvider implements TaskFamilyProvider {
    @Override
    public String name() {
        return "image-folder";
    }

    @Override
    public Set<ConfigKey<?>> keys() {
        return Set.of(Keys.DATA, Keys.IMAGE_SIZE, Keys.CHANNELS, Keys.CLASS_SPLIT, Keys.SPLIT_SEED, Keys.ROTATE_CLASSES,
                Keys.K_SHOT, Keys.K_QUERY, Keys.EVAL_QUERY, Keys.N_WAY, Keys.TRAIN_N_WAY);
    }

    @Override
    public TaskFamily family(FamilyKeys keys) {
        ImageFolderFamily.Source source = new ImageFolderFamily.Source(DataLocation.resolve(keys.get(Keys.DATA)),
                new ImageShape(keys.getInt(Keys.IMAGE_SIZE), keys.getInt(Keys.CHANNELS)),
                ClassSplit.of(keys.get(Keys.CLASS_SPLIT), keys.get(Keys.SPLIT_SEED)), keys.isOn(Keys.ROTATE_CLASSES));
        int k = keys.getInt(Keys.K_SHOT);
        int nWay = keys.getInt(Keys.N_WAY);
        int trainNWay = keys.getInt(Keys.TRAIN_N_WAY);
        return new ImageFolderFamily(source, trainNWay == 0 ? nWay : trainNWay, nWay,
                new ImageFolderFamily.MinImages(k + keys.getInt(Keys.K_QUERY), k + keys.getInt(Keys.EVAL_QUERY)));
    }

    @Override
    public String defaultModel() {
        return "conv4";
    }

    @Override
    public Optional<String> dataLocation(FamilyKeys keys) {
        return Optional.of(DataLocation.resolve(keys.get(Keys.DATA)));
    }
}
