/**
 * Image folders: the user's own classes of images, one folder per class (torchvision's {@code ImageFolder}
 * convention: the class is the folder name, classes sorted by name), at any Hadoop path ({@code task: image-folder};
 * docs/own-data.md).
 * <ul>
 *   <li>{@link ai.metaspark.data.imagefolder.ImageFolderDataset} reads every class folder once per JVM, location and
 *   shape: PNG, JPEG, GIF and BMP files (told by content) are decoded with {@code javax.imageio}, converted to RGB or
 *   luminance intensities in [0, 1] and resized to a square (area averaging when shrinking, bilinear when growing);
 *   other files, such as a README or {@code .DS_Store}, and folders inside class folders are skipped and counted.
 *   Class folder names equal but for case are refused.</li>
 *   <li>{@link ai.metaspark.data.imagefolder.ClassSplit} divides the class folders into training, validation and test
 *   classes, by seeded fractions or by list files; {@code ClassPools} drops classes with too few images for the split's
 *   tasks and optionally adds each folder's three quarter turns as classes, and logs one line of what was read and
 *   skipped.</li>
 *   <li>{@link ai.metaspark.data.imagefolder.ImageFolderFamily} is the N-way K-shot
 *   {@link ai.metaspark.task.TaskFamily}, with the episodes of {@link ai.metaspark.data.omniglot.OmniglotFamily};
 *   {@link ai.metaspark.data.imagefolder.ImageFolderProvider} registers it.</li>
 *   <li>{@link ai.metaspark.data.imagefolder.ExampleImageFolder} writes a small image folder to try it on.</li>
 * </ul>
 * Problems with the data raise {@link ai.metaspark.data.DataException} naming the path or value.
 */
package ai.metaspark.data.imagefolder;
