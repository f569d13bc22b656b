package org.spikeloop.server.recording;

import java.util.List;
import org.agrona.concurrent.Agent;
import org.spikeloop.server.engine.Decision;
import org.spikeloop.server.engine.DecisionCursor;
import org.spikeloop.server.engine.DecisionRing;

/**
 * Records a marker-labelled session's trial windows and decisions: reads the {@link DecisionRing}
 * with its own cursor and, for each closed window, writes {@code start <class>} at the window's
 * start and {@code end <class>} at its end to the {@value SessionRecording#TRIALS} stream and, if
 * it held a decoder step, the decision's JSON ({@link Decision#toJson}) at its end to the {@value
 * SessionRecording#DECISIONS} stream. So the file shows exactly the windows the engine labelled,
 * learned from and decided, next to the raw markers they came from. Like a slow watcher it never
 * slows the engine: lapped, its cursor skips ahead and counts the lost windows ({@link
 * #windowsLost}).
 *
 * <p>Threading: {@link #doWork}/{@link #onClose} on the publisher pool thread; {@link #windowsLost}
 * from any thread. Allocation: per window (a few per minute), the texts and the recording's copy.
 */
public final class TrialRecordingAgent implements Agent {
    private final String roleName;
    private final DecisionCursor cursor;
    private final Decision decision;
    private final SessionRecording recording;
    private final List<String> classNames;
    private final String[] window = new String[2];
    private final double[] windowStamps = new double[2];
    private final String[] text = new String[1];
    private final double[] textStamp = new double[1];
    private volatile long windowsLost;

    /**
     * @param recording a recording opened with a marker source (its trials and decisions streams)
     * @param classNames class names by index
     */
    public TrialRecordingAgent(
            String sessionId,
            DecisionRing ring,
            SessionRecording recording,
            List<String> classNames) {
        if (recording.trialsStream() == 0) {
            throw new IllegalArgumentException("the recording has no trials stream");
        }
        this.roleName = "spikeloop-trial-recorder-" + sessionId;
        this.cursor = ring.newCursor();
        this.decision = new Decision(ring.classes());
        this.recording = recording;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int doWork() {
        int n = 0;
        while (cursor.poll(decision)) {
            String name = classNames.get(decision.cueClass);
            window[0] = "start " + name;
            window[1] = "end " + name;
            windowStamps[0] = decision.startS;
            windowStamps[1] = decision.endS;
            recording.offer(recording.trialsStream(), window, windowStamps, 2);
            if (decision.decided()) {
                text[0] = decision.toJson(classNames);
                textStamp[0] = decision.endS;
                recording.offer(recording.decisionsStream(), text, textStamp, 1);
            }
            n++;
        }
        windowsLost = cursor.dropped();
        return n;
    }

    /** Records the windows still in the ring (the engine has stopped). */
    @Override
    public void onClose() {
        doWork();
    }

    /** Windows the recorder lost because it fell a whole ring behind the engine. */
    public long windowsLost() {
        return windowsLost;
    }
}
