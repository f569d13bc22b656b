package org.spikeloop.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.snn.checkpoint.Checkpoint;

class CheckpointRegistryTest {
    @TempDir Path dir;

    @Test
    void shouldListRegisteredCheckpointWithLineageAfterReopen() {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        Checkpoint c = RegistryFixtures.checkpoint(1);
        Lineage lineage =
                new Lineage(
                        "s1",
                        "job",
                        "a".repeat(64),
                        "job-7",
                        new DataRange(List.of("rec.xdf"), 10.0, 70.0),
                        "alice");
        RegistryEntry e = r.register(c, lineage);

        CheckpointRegistry again = CheckpointRegistry.open(dir);
        assertThat(again.list()).containsExactly(e);
        assertThat(again.find(c.contentId()).orElseThrow().lineage()).isEqualTo(lineage);
        assertThat(again.load(c.contentId()).params().asMap().keySet())
                .isEqualTo(c.params().asMap().keySet());
    }

    @Test
    void shouldKeepALineageReasonAcrossReopenAndReadIndexesWrittenWithoutOne() throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        Checkpoint c = RegistryFixtures.checkpoint(2);
        Lineage lineage = Lineage.snapshot("s1", "b".repeat(64), "alice", "before the trial");
        r.register(c, lineage);
        assertThat(CheckpointRegistry.open(dir).find(c.contentId()).orElseThrow().lineage())
                .isEqualTo(lineage);

        Path index = dir.resolve(CheckpointRegistry.INDEX);
        String text = Files.readString(index);
        assertThat(text).contains("\"reason\": \"before the trial\"");
        Files.writeString(index, text.replace(",\n      \"reason\": \"before the trial\"", ""));
        assertThat(Files.readString(index)).doesNotContain("reason");
        assertThat(
                        CheckpointRegistry.open(dir)
                                .find(c.contentId())
                                .orElseThrow()
                                .lineage()
                                .reason())
                .isEmpty();
    }

    @Test
    void shouldWriteStrictJsonWithNullForAnOpenDataRangeAndANanScore() throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        Lineage open =
                new Lineage(
                        "s1",
                        "snapshot",
                        null,
                        "",
                        DataRange.none(),
                        "alice",
                        "",
                        java.util.Map.of("r2", Double.NaN));
        Checkpoint c = RegistryFixtures.checkpoint(3);
        r.register(c, open);

        String text = Files.readString(dir.resolve(CheckpointRegistry.INDEX));
        assertThat(text).doesNotContain("NaN").contains("\"fromS\": null");
        com.google.gson.stream.JsonReader strict =
                new com.google.gson.stream.JsonReader(new java.io.StringReader(text));
        strict.setStrictness(com.google.gson.Strictness.STRICT);
        assertThat(
                        new com.google.gson.Gson()
                                .getAdapter(com.google.gson.JsonElement.class)
                                .read(strict))
                .isNotNull();
        Lineage back = CheckpointRegistry.open(dir).find(c.contentId()).orElseThrow().lineage();
        assertThat(back.dataRange().fromS()).isNaN();
        assertThat(back.dataRange().toS()).isNaN();
        assertThat(back.scores().get("r2")).isNaN();
    }

    @Test
    void shouldReadAnIndexWrittenWithABareNanAsBefore() throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        Checkpoint c = RegistryFixtures.checkpoint(3);
        r.register(c, Lineage.snapshot("s1", null, "alice", ""));
        Path index = dir.resolve(CheckpointRegistry.INDEX);
        Files.writeString(
                index,
                Files.readString(index)
                        .replace("\"fromS\": null", "\"fromS\": NaN")
                        .replace("\"toS\": null", "\"toS\": NaN"));
        assertThat(Files.readString(index)).contains("\"fromS\": NaN");

        DataRange range =
                CheckpointRegistry.open(dir)
                        .find(c.contentId())
                        .orElseThrow()
                        .lineage()
                        .dataRange();

        assertThat(range.fromS()).isNaN();
        assertThat(range.toS()).isNaN();
    }

    @Test
    void shouldNameTheFileInOneLineWhereverTheIndexIsCutShort() throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        Checkpoint c = RegistryFixtures.checkpoint(1);
        r.register(c, RegistryFixtures.lineage("s1"));
        r.setRole("s1", Role.ACTIVE, c.contentId());
        Path index = dir.resolve(CheckpointRegistry.INDEX);
        byte[] whole = Files.readAllBytes(index);
        Path ckpt = dir.resolve("checkpoints").resolve(c.contentId() + ".ckpt");

        // Every cut (a disk-full copy, a half-restored backup) is one RegistryException naming
        // the file, and opening never deletes the checkpoint the damaged index no longer lists.
        for (int cut = 0; cut < whole.length - 2; cut++) {
            Files.write(index, java.util.Arrays.copyOf(whole, cut));
            int at = cut;
            assertThatThrownBy(() -> CheckpointRegistry.open(dir))
                    .as("cut at byte %d", at)
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith(index + ": malformed index")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(ckpt).exists();
        }
    }

    @Test
    void shouldCreateNothingWhenOpenedLazilyUntilTheFirstWrite() {
        Path fresh = dir.resolve("fresh");
        CheckpointRegistry r = CheckpointRegistry.openLazily(fresh);

        assertThat(r.list()).isEmpty();
        assertThat(r.roles("s1")).isEqualTo(SessionRoles.none());
        assertThatThrownBy(() -> r.load("a".repeat(64)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("is not in the registry");
        assertThat(r.recover()).isZero();
        assertThat(fresh).doesNotExist();

        RegistryEntry e = r.register(RegistryFixtures.checkpoint(1), RegistryFixtures.lineage("s"));

        assertThat(fresh.resolve(CheckpointRegistry.LOCK)).exists();
        assertThat(CheckpointRegistry.openLazily(fresh).list()).containsExactly(e);
    }

    @Test
    void shouldReturnExistingEntryWhenTheSameContentIsRegisteredTwice() {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        RegistryEntry first =
                r.register(RegistryFixtures.checkpoint(1), RegistryFixtures.lineage("s"));
        RegistryEntry second =
                r.register(RegistryFixtures.checkpoint(1), RegistryFixtures.lineage("other"));
        assertThat(second).isEqualTo(first);
        assertThat(r.list()).hasSize(1);
    }

    @Test
    void shouldRefuseToLoadACorruptedFileNamingTheChecksum() throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        RegistryEntry e = r.register(RegistryFixtures.checkpoint(1), RegistryFixtures.lineage("s"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(e.file()).toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        assertThatThrownBy(() -> r.load(e.id()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void shouldRefuseToLoadAnUnlistedId() {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        assertThatThrownBy(() -> r.load("b".repeat(64)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("is not in the registry");
    }

    @Test
    void shouldRefuseARoleForAnUnlistedCheckpointAndLeaveRolesUnchanged() {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        RegistryEntry e = r.register(RegistryFixtures.checkpoint(1), RegistryFixtures.lineage("s"));
        r.setRole("s", Role.ACTIVE, e.id());
        assertThatThrownBy(() -> r.setRole("s", Role.ACTIVE, "c".repeat(64)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("not in the registry");
        assertThat(r.roles("s")).isEqualTo(new SessionRoles(e.id(), null, null));
    }

    @Test
    void shouldKeepActiveReferenceAndLastGoodWhateverTheirAge() {
        MutableClock clock = new MutableClock();
        CheckpointRegistry r = CheckpointRegistry.open(dir, clock);
        List<RegistryEntry> es = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clock.now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
            es.add(r.register(RegistryFixtures.checkpoint(i), RegistryFixtures.lineage("s")));
        }
        r.setRole("s", Role.ACTIVE, es.get(0).id());
        r.setRole("s", Role.REFERENCE, es.get(1).id());
        r.setRole("other", Role.LAST_GOOD, es.get(2).id());

        List<String> removed = r.applyRetention(new RetentionPolicy(2));

        assertThat(removed)
                .containsExactlyInAnyOrder(es.get(3).id(), es.get(4).id(), es.get(5).id());
        assertThat(r.list().stream().map(RegistryEntry::id))
                .containsExactlyInAnyOrder(
                        es.get(0).id(),
                        es.get(1).id(),
                        es.get(2).id(),
                        es.get(6).id(),
                        es.get(7).id());
        for (String id : removed) {
            assertThat(dir.resolve("checkpoints").resolve(id + ".ckpt")).doesNotExist();
        }
    }

    @Test
    void shouldRejectAZeroRetention() {
        assertThatThrownBy(() -> new RetentionPolicy(0))
                .hasMessageContaining("retention.keepPerSession");
    }

    @Test
    void shouldRemoveTemporaryAndUnlistedFilesOnOpen() throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        RegistryEntry kept =
                r.register(RegistryFixtures.checkpoint(1), RegistryFixtures.lineage("s"));
        Path ck = dir.resolve("checkpoints");
        Files.write(ck.resolve(".x.ckpt.tmp-1-2"), new byte[] {1, 2, 3});
        Files.write(dir.resolve(".index.json.tmp-1-2"), new byte[] {1});
        RegistryFixtures.checkpoint(2)
                .write(ck.resolve(RegistryFixtures.checkpoint(2).contentId() + ".ckpt"));

        CheckpointRegistry reopened = CheckpointRegistry.open(dir);

        try (var s = Files.list(ck)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(kept.id() + ".ckpt");
        }
        assertThat(dir.resolve(".index.json.tmp-1-2")).doesNotExist();
        assertThat(reopened.list()).containsExactly(kept);
    }

    @Test
    void shouldNameTheFileWhenTheIndexIsMalformed() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.json"), "{not json");
        assertThatThrownBy(() -> CheckpointRegistry.open(dir))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("index.json")
                .hasMessageContaining("malformed index");
    }

    @Test
    void shouldKeepEveryRegistrationWhenTwoRegistryObjectsWriteConcurrently() throws Exception {
        CheckpointRegistry a = CheckpointRegistry.open(dir);
        CheckpointRegistry b = CheckpointRegistry.open(dir);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CheckpointRegistry target = i % 2 == 0 ? a : b;
                long seed = i;
                fs.add(
                        pool.submit(
                                () ->
                                        target.register(
                                                RegistryFixtures.checkpoint(seed),
                                                RegistryFixtures.lineage("s"))));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(CheckpointRegistry.open(dir).list()).hasSize(20);
    }

    @Test
    void shouldWriteReportsAtomicallyAndRejectPaths() throws Exception {
        CheckpointRegistry r = CheckpointRegistry.open(dir);
        Path p = r.writeReport("job-1.report.json", "{}".getBytes());
        assertThat(Files.readString(p)).isEqualTo("{}");
        assertThatThrownBy(() -> r.writeReport("../x", new byte[0]))
                .hasMessageContaining("plain file name");
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.EPOCH;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
