package ai.metaspark.data.imagefolder;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.data.DataLocation;
import ai.metaspark.recipe.TaskFamilyProvider;
import ai.metaspark.task.ImageShape;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;

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
    public TaskFamily family(RunConfig config) {
        ImageFolderFamily.Source source = new ImageFolderFamily.Source(DataLocation.resolve(config.get(Keys.DATA)),
                new ImageShape(config.getInt(Keys.IMAGE_SIZE), config.getInt(Keys.CHANNELS)),
                ClassSplit.of(config.get(Keys.CLASS_SPLIT), config.get(Keys.SPLIT_SEED)), config.isOn(Keys.ROTATE_CLASSES));
        int k = config.getInt(Keys.K_SHOT);
        int nWay = config.getInt(Keys.N_WAY);
        int trainNWay = config.getInt(Keys.TRAIN_N_WAY);
        return new ImageFolderFamily(source, trainNWay == 0 ? nWay : trainNWay, nWay,
                new ImageFolderFamily.MinImages(k + config.getInt(Keys.K_QUERY), k + config.getInt(Keys.EVAL_QUERY)));
    }

    @Override
    public String defaultModel() {
        return "conv4";
    }

    @Override
    public Optional<String> dataLocation(RunConfig config) {
        return Optional.of(DataLocation.resolve(config.get(Keys.DATA)));
    }
}
