package org.spikeloop.app.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * What the two tasks of {@code bench robustness} share about their SG-BPTT jobs: the two objectives
 * they train ({@value #PLAIN}, the job config as given, and {@value #IB}, the same with an {@code
 * information_bottleneck} regulariser, docs/jobs.md) and the line that says how a training went.
 * One place, so both tasks compare the same pair of objectives and report them alike.
 */
final class RobustnessJobs {
    static final String PLAIN = "sg_bptt";
    static final String IB = "sg_bptt_ib";

    private RobustnessJobs() {}

    /**
     * Makes {@code config} (a job config's JSON, modified) the {@value #IB} job's: its regularisers
     * become one information bottleneck.
     *
     * @param weight β of the regulariser
     * @param priorHz its prior rate
     */
    static void addInformationBottleneck(JsonObject config, double weight, double priorHz) {
        JsonObject reg = new JsonObject();
        reg.addProperty("name", "information_bottleneck");
        reg.addProperty("weight", weight);
        reg.addProperty("priorHz", priorHz);
        JsonArray regs = new JsonArray();
        regs.add(reg);
        config.add("regularisers", regs);
    }

    /**
     * How a training went, for the report's {@code training} entries.
     *
     * @param epochs SG-BPTT epochs run (the train-loss list less its closed-form entry 0)
     * @param metric the validation score's name ("accuracy", "R²")
     * @param validation that score at the kept epoch
     */
    static String trainingSummary(
            double inputGain,
            int keptEpoch,
            int epochs,
            boolean stoppedEarly,
            String metric,
            double validation) {
        return String.format(
                Locale.ROOT,
                "input gain %.3g; kept epoch %d of %d (0 = the closed-form readout alone)%s;"
                        + " validation %s %.3f",
                inputGain,
                keptEpoch,
                epochs,
                stoppedEarly ? ", stopped early" : "",
                metric,
                validation);
    }
}
