package org.spikeloop.learn.eprop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link WindowSchedule} driving a {@link Work} that only writes down what it was asked to do and
 * when, so the order and amount of each step's work can be checked.
 */
class WindowScheduleTest {

    /** One call to the work: at which step, what, on which slot, and its two arguments. */
    record Call(int step, String kind, int slot, int a, int b) {}

    /** Writes every call down; {@link #abandon} makes the next finished update non-finite. */
    static final class Work implements WindowSchedule.Work {
        final List<Call> calls = new ArrayList<>();
        int step;
        boolean abandon;

        @Override
        public void closed(int slot, int steps, boolean update, int next) {
            calls.add(new Call(step, update ? "closed+update" : "closed", slot, steps, next));
        }

        @Override
        public void coefficients(int slot, int steps, int from, int to) {
            calls.add(new Call(step, "coefficients", slot, from, to));
        }

        @Override
        public void beginUpdate(int slot) {
            calls.add(new Call(step, "begin", slot, 0, 0));
        }

        @Override
        public void rows(int slot, int steps, boolean update, int from, int to) {
            calls.add(new Call(step, update ? "rows+update" : "rows", slot, from, to));
        }

        @Override
        public boolean finishUpdate(int slot) {
            calls.add(new Call(step, "finish", slot, 0, 0));
            boolean ok = !abandon;
            abandon = false;
            return ok;
        }

        @Override
        public void discard(int slot) {
            calls.add(new Call(step, "discard", slot, 0, 0));
        }

        List<Call> of(String kind) {
            return calls.stream().filter(c -> c.kind().equals(kind)).toList();
        }

        /** Neurons and rows done at each step (indexed by step). */
        int[] perStep(String kind, int steps) {
            int[] done = new int[steps + 1];
            for (Call c : calls) {
                if (c.kind().startsWith(kind)) {
                    done[c.step()] += c.b() - c.a();
                }
            }
            return done;
        }
    }

    private static void run(WindowSchedule s, Work w, int steps, boolean learned) {
        for (int t = 0; t < steps; t++) {
            w.step++;
            s.stepRecorded(learned);
        }
    }

    /**
     * Steady state: a window closes every W steps; each step computes at most ⌈H/W⌉ neurons'
     * coefficients and merges at most ⌈P/W⌉ rows; a window's rows start only after all its
     * coefficients and are done within 2W steps of its close.
     */
    @ParameterizedTest
    @CsvSource({"4, 10, 6", "16, 353, 256", "7, 20, 20", "1, 5, 3"})
    void shouldSpreadEachWindowOverTheStepsAfterItCloses(int window, int rows, int neurons) {
        Work w = new Work();
        WindowSchedule s = new WindowSchedule(window, rows, neurons, 0, w);
        int steps = 10 * window;
        run(s, w, steps, false);
        List<Call> closes = w.of("closed");
        assertThat(closes).hasSize(10);
        for (int k = 0; k < closes.size(); k++) {
            assertThat(closes.get(k).step()).isEqualTo((k + 1) * window);
            assertThat(closes.get(k).a()).as("steps").isEqualTo(window);
        }
        int[] neuronWork = w.perStep("coefficients", steps);
        int[] rowWork = w.perStep("rows", steps);
        for (int t = 0; t <= steps; t++) {
            assertThat(neuronWork[t]).isLessThanOrEqualTo((neurons + window - 1) / window);
            assertThat(rowWork[t]).isLessThanOrEqualTo((rows + window - 1) / window);
        }
        // Every window but the last two is complete, each within 2W steps of its close.
        for (int k = 0; k < closes.size() - 2; k++) {
            int slot = closes.get(k).slot();
            int closedAt = closes.get(k).step();
            int lastCoefficient = -1;
            int firstRow = Integer.MAX_VALUE;
            int lastRow = -1;
            int rowsDone = 0;
            int neuronsDone = 0;
            for (Call c : w.calls) {
                if (c.slot() != slot || c.step() < closedAt || c.step() > closedAt + 2 * window) {
                    continue;
                }
                if (c.kind().equals("coefficients")) {
                    lastCoefficient = Math.max(lastCoefficient, c.step());
                    neuronsDone += c.b() - c.a();
                } else if (c.kind().equals("rows")) {
                    firstRow = Math.min(firstRow, c.step());
                    lastRow = Math.max(lastRow, c.step());
                    rowsDone += c.b() - c.a();
                }
            }
            assertThat(neuronsDone).as("window %d neurons", k).isEqualTo(neurons);
            assertThat(rowsDone).as("window %d rows", k).isEqualTo(rows);
            assertThat(firstRow)
                    .as("rows after coefficients")
                    .isGreaterThanOrEqualTo(lastCoefficient);
            assertThat(lastRow).isLessThanOrEqualTo(closedAt + 2 * window);
        }
        assertThat(s.forcedDrains()).isZero();
    }

    /**
     * An update every 13 learning steps with W = 8 closes a short window while the previous one is
     * still merging: the backlog is spread (no step merges more than twice the steady quota), the
     * ring never fills, and every window queued before a close is done by the next close.
     */
    @Test
    void shouldSpreadTheBacklogOfAWindowClosedEarly() {
        Work w = new Work();
        int window = 8;
        int rows = 40;
        int neurons = 24;
        WindowSchedule s = new WindowSchedule(window, rows, neurons, 13, w);
        int steps = 200;
        run(s, w, steps, true);
        List<Call> updates = w.of("closed+update");
        assertThat(updates).isNotEmpty();
        assertThat(updates.get(0).step()).isEqualTo(13);
        assertThat(updates.get(0).a()).as("a window closed after 5 steps").isEqualTo(5);
        int[] rowWork = w.perStep("rows", steps);
        int quota = (rows + window - 1) / window;
        int max = 0;
        for (int r : rowWork) {
            max = Math.max(max, r);
        }
        assertThat(max).isGreaterThan(quota).isLessThanOrEqualTo(2 * quota);
        assertThat(s.forcedDrains()).isZero();
        assertThat(w.of("finish")).hasSizeGreaterThanOrEqualTo(updates.size() - 1);
    }

    @Test
    void shouldLetAnUpdateFallDueEveryIntervalOfLearningSteps() {
        Work w = new Work();
        WindowSchedule s = new WindowSchedule(6, 10, 4, 5, w);
        for (int t = 1; t <= 40; t++) {
            w.step = t;
            s.stepRecorded(t % 2 == 0); // every other step learns
        }
        assertThat(w.of("closed+update")).extracting(Call::step).containsExactly(10, 20, 30, 40);
        assertThat(w.of("closed+update")).extracting(Call::a).containsOnly(4);
        // Full windows of 6 steps close in between, without an update.
        assertThat(w.of("closed")).extracting(Call::step).containsExactly(6, 16, 26, 36);
    }

    @Test
    void shouldLetTheUpdateFallDueAtTrialEndOnlyWhenSomethingWasLearned() {
        Work w = new Work();
        WindowSchedule s = new WindowSchedule(16, 10, 4, 0, w);
        run(s, w, 3, false);
        s.endTrial();
        assertThat(w.calls.get(w.calls.size() - 1)).isEqualTo(new Call(3, "closed", 0, 3, 1));
        s.endTrial(); // nothing recorded since: nothing to close
        assertThat(w.of("closed")).hasSize(1);
        run(s, w, 2, true);
        s.endTrial();
        assertThat(w.of("closed+update")).containsExactly(new Call(5, "closed+update", 1, 2, 2));
        s.flush();
        assertThat(s.queued()).isZero();
        assertThat(w.of("finish")).hasSize(1);
    }

    /** Windows of one step in a row: the fourth close finds the ring full and drains the oldest. */
    @Test
    void shouldDrainTheOldestWindowAtOnceWhenTheRingIsFull() {
        Work w = new Work();
        int rows = 30;
        WindowSchedule s = new WindowSchedule(16, rows, 8, 0, w);
        for (int t = 1; t <= 6; t++) {
            w.step = t;
            s.stepRecorded(true);
            s.endTrial();
        }
        assertThat(s.forcedDrains()).isPositive();
        // A forced drain completes a window's remaining rows inside one step's close.
        boolean sawDrain = false;
        for (Call c : w.of("finish")) {
            int slot = c.slot();
            int rowsThatStep =
                    w.calls.stream()
                            .filter(x -> x.step() == c.step() && x.slot() == slot)
                            .filter(x -> x.kind().startsWith("rows"))
                            .mapToInt(x -> x.b() - x.a())
                            .sum();
            sawDrain |= rowsThatStep > (rows + 15) / 16;
        }
        assertThat(sawDrain).isTrue();
        assertThat(s.queued()).isLessThanOrEqualTo(WindowSchedule.SLOTS - 1);
    }

    /** An abandoned update drops the windows queued after it, unmerged. */
    @Test
    void shouldDropTheQueuedWindowsWhenAnUpdateIsAbandoned() {
        Work w = new Work();
        WindowSchedule s = new WindowSchedule(16, 20, 4, 0, w);
        run(s, w, 5, true);
        s.endTrial(); // slot 0 carries an update
        run(s, w, 3, false);
        s.endTrial(); // slot 1 queued behind it
        w.abandon = true;
        s.flush();
        assertThat(w.of("finish")).extracting(Call::slot).containsExactly(0);
        assertThat(w.of("discard")).extracting(Call::slot).containsExactly(1);
        assertThat(w.calls.stream().filter(c -> c.slot() == 1 && c.kind().startsWith("rows")))
                .isEmpty();
        assertThat(s.queued()).isZero();
    }

    @Test
    void shouldCompleteEveryQueuedWindowOnFlush() {
        Work w = new Work();
        int rows = 25;
        int neurons = 9;
        WindowSchedule s = new WindowSchedule(8, rows, neurons, 0, w);
        run(s, w, 21, true); // two full windows and 5 steps of a third
        w.step++;
        s.flush();
        assertThat(s.queued()).isZero();
        assertThat(w.of("closed")).hasSize(3);
        for (Call close : w.of("closed")) {
            int slot = close.slot();
            int at = close.step();
            int merged =
                    w.calls.stream()
                            .filter(c -> c.slot() == slot && c.step() >= at)
                            .filter(c -> c.kind().equals("rows"))
                            .mapToInt(c -> c.b() - c.a())
                            .sum();
            assertThat(merged).as("rows of the window closed at %d", at).isEqualTo(rows);
        }
    }
}
