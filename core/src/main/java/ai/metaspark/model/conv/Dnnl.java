package ai.metaspark.model.conv;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.memory_desc_vector;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.sum;
import org.bytedeco.javacpp.FloatPointer;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MULTIPLE_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

/**
 * Small helpers over the oneDNN C++ API as JavaCPP maps it: f32 memories, argument maps, primitives recorded as
 * replayable steps, and reorders between layouts. Every native object is kept in the {@link NativeScope}.
 */
final class Dnnl {
    final engine eng;
    final stream strm;
    final NativeScope scope;
    /** Deterministic mode on every primitive that takes attributes: same bits run to run at a fixed thread count. */
    final primitive_attr attr;

    Dnnl(engine eng, stream strm, NativeScope scope) {
        this.eng = eng;
        this.strm = strm;
        this.scope = scope;
        this.attr = scope.keep(new primitive_attr());
        attr.set_deterministic(true);
    }

    static FloatPointer floats(memory m, NativeScope scope) {
        long n = m.get_desc().get_size() / Float.BYTES;
        return scope.keep(new FloatPointer(m.get_data_handle()).capacity(n).limit(n));
    }

    memory.desc desc(long[] dims, memory.format_tag tag) {
        return scope.keep(new memory.desc(dims, memory.data_type.f32, tag));
    }

    memory mem(memory.desc d) {
        return scope.keep(new memory(scope.keep(d), eng));
    }

    IntMemoryMap args(Object... argAndMemory) {
        IntMemoryMap m = scope.keep(new IntMemoryMap());
        for (int i = 0; i < argAndMemory.length; i += 2) {
            m.put((Integer) argAndMemory[i], (memory) argAndMemory[i + 1]);
        }
        return m;
    }

    /** Records {@code p} with its arguments as a step of {@code steps}. */
    void step(List<Runnable> steps, primitive p, IntMemoryMap args) {
        scope.keep(p);
        steps.add(() -> p.execute(strm, args));
    }

    /** {@code src} itself when it already has layout {@code d}; else a new memory filled by a reorder step. */
    memory as(memory src, memory.desc d, List<Runnable> steps) {
        if (src.get_desc().equals(d)) {
            return src;
        }
        memory dst = mem(d);
        copy(src, dst, steps);
        return dst;
    }

    /** A reorder step that copies {@code src} into {@code dst}, converting the layout. */
    void copy(memory src, memory dst, List<Runnable> steps) {
        step(steps, new reorder(src, dst, attr), args(DNNL_ARG_FROM, src, DNNL_ARG_TO, dst));
    }

    /** A sum step: {@code dst = a + b}, each in its own layout (one pass, where two reorders and an add would be three). */
    void sum(memory a, memory b, memory dst, List<Runnable> steps) {
        memory_desc_vector srcs = scope.keep(new memory_desc_vector(a.get_desc(), b.get_desc()));
        sum.primitive_desc pd = scope.keep(new sum.primitive_desc(eng, dst.get_desc(), new float[] {1f, 1f}, srcs, attr, false));
        step(steps, new sum(pd), args(DNNL_ARG_MULTIPLE_SRC, a, DNNL_ARG_MULTIPLE_SRC + 1, b, DNNL_ARG_DST, dst));
    }

    static void run(List<Runnable> steps) {
        for (Runnable s : steps) {
            s.run();
        }
    }
}
