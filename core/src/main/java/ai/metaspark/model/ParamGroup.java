package ai.metaspark.model;

import java.io.Serializable;

/**
 * One parameter tensor of a network's flat vector: {@code [offset, offset + length)}. {@code batchNorm} marks the
 * batch-norm scale and shift (gamma, beta), which MAML++'s per-step batch norm keeps one copy of per inner step.
 */
public record ParamGroup(String name, int offset, int length, boolean batchNorm) implements Serializable {
    public ParamGroup {
        if (offset < 0 || length < 1) throw new IllegalArgumentException("bad group " + name + " [" + offset + ", +" + length + ")");
    }

    /** One past the last index. */
    public int end() {
        return offset + length;
    }
}
