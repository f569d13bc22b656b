package org.spikeloop.app.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task's result in {@code bench robustness}: per condition ({@code clean}, then each artifact)
 * the held-out score of each decoder (R² or accuracy; NaN where the decoder cannot take the
 * artifact), and each artifact's stated strength. Insertion-ordered, so tables keep the run's
 * order.
 *
 * @param metric {@code r2} or {@code accuracy}
 * @param strengths artifact name → its strength in words
 * @param scores condition → decoder → score
 * @param notes condition → why a decoder has no score there (absent when all have one)
 * @param training decoder → how its training went (SG-BPTT's kept epoch, the ANN's shape)
 */
record RobustnessScores(
        String metric,
        Map<String, String> strengths,
        Map<String, Map<String, Double>> scores,
        Map<String, String> notes,
        Map<String, String> training) {

    static RobustnessScores of(String metric) {
        return new RobustnessScores(
                metric,
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>());
    }

    void put(String condition, String decoder, double score) {
        scores.computeIfAbsent(condition, k -> new LinkedHashMap<>()).put(decoder, score);
    }

    /** Of SG-BPTT and SG-BPTT + IB, the one that scores higher under {@code condition}. */
    String objectiveWinner(String condition) {
        Map<String, Double> s = scores.get(condition);
        double plain = s.get(RobustnessJobs.PLAIN);
        double ib = s.get(RobustnessJobs.IB);
        if (plain == ib) {
            return "tie";
        }
        return plain > ib ? RobustnessJobs.PLAIN : RobustnessJobs.IB;
    }

    /** The decoder with the highest score under {@code condition} (NaN scores skipped). */
    String bestDecoder(String condition) {
        String best = null;
        double score = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Double> e : scores.get(condition).entrySet()) {
            if (!Double.isNaN(e.getValue()) && e.getValue() > score) {
                score = e.getValue();
                best = e.getKey();
            }
        }
        return best;
    }
}
