package io.walkstream.model.serial;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Nullable strings and arrays, written as a length (-1 for null) and the elements. */
final class Fields {
    private Fields() {}

    static void writeString(String s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String readString(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static void writeFloats(float[] a, DataOutputView out) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            for (float f : a) {
                out.writeFloat(f);
            }
        }
    }

    static float[] readFloats(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    static void writeLongs(long[] a, DataOutputView out) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            for (long x : a) {
                out.writeLong(x);
            }
        }
    }

    static long[] readLongs(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readLong();
        }
        return a;
    }
}
