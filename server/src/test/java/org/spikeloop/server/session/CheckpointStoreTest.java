package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.ServerException;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class CheckpointStoreTest {
    @TempDir Path dir;

    @Test
    void shouldRefuseNamesThatArePaths() {
        CheckpointStore store = new CheckpointStore(dir);
        for (String bad : new String[] {"../x.ckpt", "/etc/passwd", "a/b", ".hidden", "", "a b"}) {
            assertThatThrownBy(() -> store.resolve("checkpoint", bad))
                    .isInstanceOf(ServerException.class)
                    .hasMessageContaining("checkpoint: a checkpoint file name")
                    .satisfies(
                            e ->
                                    assertThat(((ServerException) e).kind())
                                            .isEqualTo(ServerException.Kind.INVALID_ARGUMENT));
        }
        assertThat(store.resolve("checkpoint", "ok-1.ckpt"))
                .isEqualTo(dir.toAbsolutePath().resolve("ok-1.ckpt"));
    }

    @Test
    void shouldWriteAndReadBackACheckpoint() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("ck"));
        NetworkSpec spec = NetworkSpec.recurrent(4, 8, 2, NeuronSpec.alif());
        Checkpoint ck =
                Checkpoint.create(
                        spec,
                        Initializer.initialise(spec, InitSpec.seeded(1)),
                        Provenance.now("t", "test"));
        store.write("name", "a.ckpt", ck);
        assertThat(store.read("checkpoint", "a.ckpt", spec).contentId()).isEqualTo(ck.contentId());
    }

    @Test
    void shouldAnswerNotFoundAndInvalidForMissingAndCorruptFiles() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        assertThatThrownBy(() -> store.read("checkpoint", "none.ckpt", null))
                .satisfies(
                        e ->
                                assertThat(((ServerException) e).kind())
                                        .isEqualTo(ServerException.Kind.NOT_FOUND));
        Files.writeString(dir.resolve("bad.ckpt"), "not a checkpoint");
        assertThatThrownBy(() -> store.read("checkpoint", "bad.ckpt", null))
                .satisfies(
                        e ->
                                assertThat(((ServerException) e).kind())
                                        .isEqualTo(ServerException.Kind.INVALID_ARGUMENT))
                .hasMessageStartingWith("checkpoint: ");
    }
}
