/**
 * Omniglot (Lake, Salakhutdinov and Tenenbaum 2015): 1,623 handwritten characters of 50 alphabets, 20 drawings each.
 * <ul>
 *   <li>{@link ai.metaspark.data.omniglot.OmniglotDataset} streams {@code images_background.zip} and
 *   {@code images_evaluation.zip} from a folder at any Hadoop path, decodes each 105x105 PNG, resizes it to 28x28 by
 *   exact area averaging (each output cell is the mean ink over a 3.75x3.75 square of the original, fractional pixels
 *   weighted by their covered area), inverts it so ink = 1, and keeps one byte per pixel. It is decoded once per JVM
 *   and location, so the Spark tasks of one executor share it.</li>
 *   <li>{@link ai.metaspark.data.omniglot.Protocol} divides the classes into training, validation and test pools:
 *   {@code VINYALS} (split files, 4,112 / 688 / 1,692 rotated-character classes) or {@code MAML} (Finn et al.: a fixed
 *   shuffle of the characters; 1,100 training, 100 validation, 423 test characters; a random quarter turn per class
 *   per task).</li>
 *   <li>{@link ai.metaspark.data.omniglot.OmniglotFamily} is the N-way K-shot {@link ai.metaspark.task.TaskFamily}:
 *   a {@link ai.metaspark.task.TaskSpec} always gives the same episode, on any machine.</li>
 * </ul>
 * Turns are counterclockwise (as PIL's {@code rotate} in the prototypical-networks code) and exact: a permutation of
 * the 28x28 pixels. Because the resize grid is symmetric, turning before or after the resize gives the same image.
 * Problems with the data raise {@link ai.metaspark.data.DataException}.
 */
package ai.metaspark.data.omniglot;
