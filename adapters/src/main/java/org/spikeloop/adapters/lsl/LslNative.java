package org.spikeloop.adapters.lsl;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The liblsl C API (liblsl 1.16+, headers {@code lsl/*.h}) bound through JNA direct mapping.
 *
 * <p>Only {@link Lsl#load()} may initialise this class: it locates the library first so a missing
 * library is reported by {@link LiblslNotFoundException} instead of a class-initialisation error. C
 * {@code unsigned long} is {@link NativeLong}; {@code int32_t*} error codes are {@code int[1]};
 * {@code char*} results that liblsl allocates are returned as {@link Pointer} and must be freed
 * with {@link #lsl_destroy_string(Pointer)}. Threading: liblsl's functions are thread-safe per
 * object except where its headers say otherwise (inlet post-processing without {@code
 * proc_threadsafe}).
 */
@SuppressWarnings({"checkstyle:MethodName", "unused"})
final class LslNative {
    private LslNative() {}

    static void register(NativeLibrary library) {
        Native.register(LslNative.class, library);
    }

    // common.h
    static native double lsl_local_clock();

    static native int lsl_library_version();

    static native int lsl_protocol_version();

    static native String lsl_library_info();

    static native String lsl_last_error();

    static native void lsl_destroy_string(Pointer s);

    static native void lsl_set_config_filename(String filename);

    static native void lsl_set_config_content(String content);

    // streaminfo.h
    static native Pointer lsl_create_streaminfo(
            String name,
            String type,
            int channelCount,
            double nominalSrate,
            int channelFormat,
            String sourceId);

    static native void lsl_destroy_streaminfo(Pointer info);

    static native Pointer lsl_copy_streaminfo(Pointer info);

    static native String lsl_get_name(Pointer info);

    static native String lsl_get_type(Pointer info);

    static native int lsl_get_channel_count(Pointer info);

    static native double lsl_get_nominal_srate(Pointer info);

    static native int lsl_get_channel_format(Pointer info);

    static native String lsl_get_source_id(Pointer info);

    static native String lsl_get_uid(Pointer info);

    static native String lsl_get_hostname(Pointer info);

    static native double lsl_get_created_at(Pointer info);

    static native Pointer lsl_get_desc(Pointer info);

    static native Pointer lsl_get_xml(Pointer info);

    static native Pointer lsl_streaminfo_from_xml(String xml);

    // xml.h
    static native Pointer lsl_append_child(Pointer element, String name);

    static native Pointer lsl_append_child_value(Pointer element, String name, String value);

    // resolver.h
    static native int lsl_resolve_all(Pointer buffer, int bufferElements, double waitTime);

    static native int lsl_resolve_byprop(
            Pointer buffer,
            int bufferElements,
            String prop,
            String value,
            int minimum,
            double timeout);

    static native int lsl_resolve_bypred(
            Pointer buffer, int bufferElements, String pred, int minimum, double timeout);

    static native Pointer lsl_create_continuous_resolver(double forgetAfter);

    static native Pointer lsl_create_continuous_resolver_byprop(
            String prop, String value, double forgetAfter);

    static native Pointer lsl_create_continuous_resolver_bypred(String pred, double forgetAfter);

    static native int lsl_resolver_results(Pointer resolver, Pointer buffer, int bufferElements);

    static native void lsl_destroy_continuous_resolver(Pointer resolver);

    // inlet.h
    static native Pointer lsl_create_inlet(
            Pointer info, int maxBuflen, int maxChunklen, int recover);

    static native void lsl_destroy_inlet(Pointer inlet);

    static native Pointer lsl_get_fullinfo(Pointer inlet, double timeout, int[] ec);

    static native void lsl_open_stream(Pointer inlet, double timeout, int[] ec);

    static native void lsl_close_stream(Pointer inlet);

    static native double lsl_time_correction(Pointer inlet, double timeout, int[] ec);

    static native int lsl_set_postprocessing(Pointer inlet, int flags);

    static native int lsl_samples_available(Pointer inlet);

    static native int lsl_inlet_flush(Pointer inlet);

    static native int lsl_was_clock_reset(Pointer inlet);

    static native NativeLong lsl_pull_chunk_f(
            Pointer inlet,
            float[] data,
            double[] timestamps,
            NativeLong dataElements,
            NativeLong timestampElements,
            double timeout,
            int[] ec);

    static native NativeLong lsl_pull_chunk_d(
            Pointer inlet,
            double[] data,
            double[] timestamps,
            NativeLong dataElements,
            NativeLong timestampElements,
            double timeout,
            int[] ec);

    static native NativeLong lsl_pull_chunk_l(
            Pointer inlet,
            long[] data,
            double[] timestamps,
            NativeLong dataElements,
            NativeLong timestampElements,
            double timeout,
            int[] ec);

    static native NativeLong lsl_pull_chunk_i(
            Pointer inlet,
            int[] data,
            double[] timestamps,
            NativeLong dataElements,
            NativeLong timestampElements,
            double timeout,
            int[] ec);

    static native NativeLong lsl_pull_chunk_s(
            Pointer inlet,
            short[] data,
            double[] timestamps,
            NativeLong dataElements,
            NativeLong timestampElements,
            double timeout,
            int[] ec);

    static native NativeLong lsl_pull_chunk_c(
            Pointer inlet,
            byte[] data,
            double[] timestamps,
            NativeLong dataElements,
            NativeLong timestampElements,
            double timeout,
            int[] ec);

    /**
     * Binary-safe string pull: {@code data} is a {@code char*[]}, {@code lengths} a {@code
     * uint32_t[]}.
     */
    static native NativeLong lsl_pull_chunk_buf(
            Pointer inlet,
            Pointer data,
            int[] lengths,
            double[] timestamps,
            NativeLong dataElements,
            NativeLong timestampElements,
            double timeout,
            int[] ec);

    // outlet.h
    static native Pointer lsl_create_outlet(Pointer info, int chunkSize, int maxBuffered);

    static native void lsl_destroy_outlet(Pointer outlet);

    static native Pointer lsl_get_info(Pointer outlet);

    static native int lsl_have_consumers(Pointer outlet);

    static native int lsl_wait_for_consumers(Pointer outlet, double timeout);

    static native int lsl_push_chunk_ftnp(
            Pointer outlet,
            float[] data,
            NativeLong dataElements,
            double[] timestamps,
            int pushthrough);

    static native int lsl_push_chunk_dtnp(
            Pointer outlet,
            double[] data,
            NativeLong dataElements,
            double[] timestamps,
            int pushthrough);

    static native int lsl_push_chunk_ltnp(
            Pointer outlet,
            long[] data,
            NativeLong dataElements,
            double[] timestamps,
            int pushthrough);

    static native int lsl_push_chunk_itnp(
            Pointer outlet,
            int[] data,
            NativeLong dataElements,
            double[] timestamps,
            int pushthrough);

    static native int lsl_push_chunk_stnp(
            Pointer outlet,
            short[] data,
            NativeLong dataElements,
            double[] timestamps,
            int pushthrough);

    static native int lsl_push_chunk_ctnp(
            Pointer outlet,
            byte[] data,
            NativeLong dataElements,
            double[] timestamps,
            int pushthrough);

    /**
     * Binary-safe string push: {@code data} is a {@code const char*[]}, {@code lengths} a {@code
     * uint32_t[]}.
     */
    static native int lsl_push_chunk_buftnp(
            Pointer outlet,
            Pointer data,
            int[] lengths,
            NativeLong dataElements,
            double[] timestamps,
            int pushthrough);
}
