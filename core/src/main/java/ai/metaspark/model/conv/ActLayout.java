package ai.metaspark.model.conv;

import org.bytedeco.dnnl.memory;

/**
 * Where each element of a 4-D activation {@code [n, c, h, w]} lives in oneDNN's channel-blocked layout
 * {@code nChw<block>c} (block 16 or 8; block 1 is plain NCHW): {@code offset = (((i * c/block + ch/block) * h + y) * w
 * + x) * block + ch % block}. The plan fixes every activation the Java side reads or writes to this layout, so the
 * per-channel arithmetic of the R-operator can run on plain float arrays.
 */
record ActLayout(int n, int c, int h, int w, int block) {
    /** The layout oneDNN's AVX-512 kernels prefer for {@code c} channels: 16-blocked, else 8-blocked, else plain. */
    static ActLayout of(int n, int c, int h, int w) {
        return new ActLayout(n, c, h, w, c % 16 == 0 ? 16 : c % 8 == 0 ? 8 : 1);
    }

    int size() {
        return n * c * h * w;
    }

    /** Elements per channel: {@code n h w} (the count of batch norm's statistics). */
    int perChannel() {
        return n * h * w;
    }

    int offset(int i, int ch, int y, int x) {
        return (((i * (c / block) + ch / block) * h + y) * w + x) * block + ch % block;
    }

    memory.format_tag tag() {
        return switch (block) {
            case 16 -> memory.format_tag.nChw16c;
            case 8 -> memory.format_tag.nChw8c;
            default -> memory.format_tag.nchw;
        };
    }

    long[] dims() {
        return new long[] {n, c, h, w};
    }
}
