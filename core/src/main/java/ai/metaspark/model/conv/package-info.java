/**
 * Conv-4, the few-shot image network (4 blocks of 3x3 conv, batch norm, ReLU, with max-pool or stride 2), on oneDNN
 * primitives through the JavaCPP presets ({@code org.bytedeco:dnnl}): about 7x DL4J's own layers on this CPU; or on
 * ND4J operations ({@code Nd4jConv4Net}), which run on a GPU with ND4J's CUDA backend. {@code Conv4Passes} is what both
 * compute; {@link ai.metaspark.model.conv.Conv4Backend} chooses one.
 *
 * <ul>
 *   <li>{@link ai.metaspark.model.conv.Conv4Spec}: the shape, the two variants (POOL of Prototypical Networks,
 *       STRIDED of MAML), the flat parameter layout, initialisation and FLOP counts.</li>
 *   <li>{@link ai.metaspark.model.conv.Conv4Net}: images to embeddings and back (parameter and input gradients),
 *       f32 inside, batch norm always on the current batch's statistics. One instance per thread.</li>
 *   <li>{@link ai.metaspark.model.conv.Conv4Classifier}: the network plus a linear head and mean softmax
 *       cross-entropy over a flat double vector, with exact Hessian-vector products; also the embedding path for
 *       Prototypical Networks and ANIL.</li>
 *   <li>{@link ai.metaspark.model.conv.Conv4Slice}: the same classifier for the tasks of a slice side by side, on ND4J
 *       operations (one batched pass for all tasks, each under its own parameters: what a GPU needs).</li>
 * </ul>
 * The package-private classes build and replay the primitives ({@code Conv4Plan}, one per batch size), run the
 * R-operator for exact Hessian-vector products on a plan's last pass ({@code Conv4RPass}: the convolutions on the
 * plan's primitives; {@code BatchNormR}: batch norm and ReLU in Java on the fixed channel-blocked layouts of
 * {@code ActLayout}, on the Java Vector API through {@code BatchNormLanes} where the JVM has it) and own the native objects ({@code NativeScope}); {@code Nd4jConv4Net} computes the same passes with
 * ND4J operations, for one task or several side by side (with {@code TaskArrays}, {@code TaskChannels} and {@code Nd4jMaxPool}); {@code LinearHead} is the classifiers' head in double; and {@code LoadedParams} lets either skip reloading the parameters it already has. The oneDNN build uses OpenMP: {@code OMP_NUM_THREADS} sets its threads.
 */
package ai.metaspark.model.conv;
