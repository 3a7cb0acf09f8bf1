package ai.metaspark.io;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A double vector as a length followed by big-endian IEEE-754 values: exact, portable, no Java serialization. */
public final class Vectors {
    private static final int MAX = 1 << 28;

    private Vectors() {
    }

    public static void write(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) out.writeDouble(x);
    }

    public static double[] read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX) throw new IOException("bad vector length " + n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = in.readDouble();
        return v;
    }
}
