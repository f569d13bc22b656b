package org.spikeloop.snn.nir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.kernel.ReferenceNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.ResetMode;

class NirExportTest {
    @TempDir Path dir;

    static final NeuronSpec ZERO = NeuronSpec.lif().withReset(ResetMode.ZERO, 0.0);

    static NetworkSpec net(NeuronSpec hidden, ReadoutSpec readout) {
        return new NetworkSpec(
                1.0,
                4,
                null,
                List.of(new LayerSpec(6, true, hidden), new LayerSpec(5, false, hidden)),
                readout);
    }

    static NetworkParams params(NetworkSpec s) {
        return Initializer.initialise(s, new InitSpec(7, 3.0, 0.8, 1.0));
    }

    @Test
    void shouldRoundTripThroughAFileToTheSameContentId() throws Exception {
        for (ReadoutSpec readout : List.of(ReadoutSpec.leaky(3), ReadoutSpec.spikeCount(3, ZERO))) {
            NetworkSpec s = net(ZERO, readout);
            NetworkParams p = params(s);
            Path f = dir.resolve("m.nir");
            NirFile.write(NirExport.toGraph(s, p, 1e-3), f);

            NirImport.Result back =
                    NirImport.toNetwork(NirFile.read(f), new NirImport.Options(null, null));

            Provenance prov = Provenance.now("test", "test");
            assertThat(Checkpoint.create(back.spec(), back.params(), prov).contentId())
                    .isEqualTo(Checkpoint.create(s, p, prov).contentId());
            assertThat(back.spec().layers().get(0).neuron().tauMemMs())
                    .isCloseTo(20.0, within(1e-9));
            assertThat(back.spec().readout().type()).isEqualTo(readout.type());
        }
    }

    @Test
    void shouldKeepTheForwardWithResetOffsetsCubaLifAndAnotherDt() {
        NeuronSpec cuba =
                NeuronSpec.twoCompartment()
                        .withReset(ResetMode.ZERO, 0.0)
                        .withDendrite(8.0, 1.0, false, 1.0);
        NetworkSpec s = net(ZERO, ReadoutSpec.spikeCount(3, cuba));
        NetworkParams p = params(s);
        Random rng = new Random(2);
        double[] delta = p.get("layer0.reset_offset").data();
        for (int j = 0; j < delta.length; j++) {
            delta[j] = 0.3 * rng.nextGaussian();
        }
        Map<String, Tensor> named = new LinkedHashMap<>(p.asMap());
        named.put("layer0.reset_offset", new Tensor(new int[] {delta.length}, delta));
        NetworkParams withDelta = NetworkParams.of(s, named);

        NirImport.Result back =
                NirImport.toNetwork(
                        NirExport.toGraph(s, withDelta, 1e-4), new NirImport.Options(null, 1.0));

        ReferenceNetwork a = new ReferenceNetwork(s, withDelta);
        ReferenceNetwork b = new ReferenceNetwork(back.spec(), back.params());
        double[] oa = new double[3];
        double[] ob = new double[3];
        double spikes = 0;
        for (int t = 0; t < 300; t++) {
            double[] x = new double[4];
            for (int i = 0; i < 4; i++) {
                x[i] = rng.nextDouble() < 0.3 ? 1 : 0;
            }
            a.step(x, oa);
            b.step(x, ob);
            assertThat(ob).containsExactly(oa);
            for (int l = 0; l < 2; l++) {
                assertThat(b.membrane(l)).containsExactly(a.membrane(l), within(1e-9));
                spikes += java.util.Arrays.stream(a.spikes(l)).sum();
            }
        }
        assertThat(spikes).isGreaterThan(50); // the comparison saw spikes and resets
    }

    @Test
    void shouldRefuseWhatNirCannotExpressNamingTheField() {
        assertRefused(NeuronSpec.lif(), "layers[0].neuron.reset: SUBTRACT keeps the overshoot");
        assertRefused(
                NeuronSpec.alif().withReset(ResetMode.ZERO, 0),
                "layers[0].neuron.model: ALIF's adaptive threshold");
        assertRefused(
                ZERO.withRefractorySteps(2),
                "layers[0].neuron.refractorySteps: 2 steps of refractoriness");
        assertRefused(
                NeuronSpec.twoCompartment()
                        .withReset(ResetMode.ZERO, 0)
                        .withDendrite(10, 1, true, 1),
                "layers[0].neuron.dendriticSpikes: a dendritic spike gating the soma");
    }

    private static void assertRefused(NeuronSpec hidden, String message) {
        NetworkSpec s = net(hidden, ReadoutSpec.leaky(2));
        assertThatThrownBy(() -> NirExport.toGraph(s, params(s), 1e-3))
                .isInstanceOf(NirException.class)
                .hasMessageStartingWith(message);
    }
}
