package org.spikeloop.adapters.lsl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * Test helper: the bytes glibc's malloc has handed out and not had back, over all its arenas
 * ({@code mallinfo2}, glibc 2.33+), to see native memory a library allocates and the caller must
 * free. The JVM's heap is not in it (mapped, not malloc'ed).
 */
public final class GlibcHeap {
    /** {@code struct mallinfo2}: every field a {@code size_t}. */
    @Structure.FieldOrder({
        "arena",
        "ordblks",
        "smblks",
        "hblks",
        "hblkhd",
        "usmblks",
        "fsmblks",
        "uordblks",
        "fordblks",
        "keepcost"
    })
    public static final class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    private interface C extends Library {
        MallInfo2 mallinfo2();
    }

    private static final C LIBC = load();

    private GlibcHeap() {}

    private static C load() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return null;
        }
        try {
            C c = Native.load("c", C.class);
            c.mallinfo2();
            return c;
        } catch (UnsatisfiedLinkError e) {
            return null; // not glibc, or older than 2.33
        }
    }

    static boolean available() {
        return LIBC != null;
    }

    /** Bytes in use: chunks in the arenas plus chunks mapped on their own. */
    static long inUseBytes() {
        MallInfo2 m = LIBC.mallinfo2();
        return m.uordblks + m.hblkhd;
    }
}
