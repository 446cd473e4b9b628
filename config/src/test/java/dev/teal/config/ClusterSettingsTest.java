package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    private static final String SECRET = "0123456789abcdef-0123456789abcdef-secret";
    private static final String ZOOKEEPER = """
            teal.cluster { store = zookeeper, instance-id = teal-a
              zookeeper { connect = "zk1:2181,zk2:2181", root = "/teal/shop" } }
            """;

    @Test
    void theFileStoreIsTheDefault() throws Exception {
        TealSettings settings = SettingsLoader.parse(TestSettings.MINIMAL, Map.of());

        assertThat(settings.cluster().store()).isEqualTo(ClusterSettings.Store.FILE);
        assertThat(settings.cluster().shared()).isFalse();
        assertThat(settings.cluster().zookeeper()).isEmpty();
        assertThat(settings.cluster().onStoreLoss()).isEqualTo(ClusterSettings.OnStoreLoss.SERVE);
    }

    @Test
    void readsAZooKeeperClusterWithItsDefaults() throws Exception {
        TealSettings settings =
                SettingsLoader.parse(TestSettings.MINIMAL + ZOOKEEPER, Map.of("TEAL_COOKIE_SECRET", SECRET));

        ClusterSettings cluster = settings.cluster();
        assertThat(cluster.shared()).isTrue();
        assertThat(cluster.instanceId()).contains("teal-a");
        assertThat(cluster.zookeeper())
                .contains(new ClusterSettings.ZooKeeperSettings(
                        "zk1:2181,zk2:2181", "/teal/shop", Duration.ofSeconds(15), Duration.ofSeconds(5)));
    }

    @Test
    void theInstanceIdDefaultsToTheHostName() throws Exception {
        TealSettings settings = SettingsLoader.parse(
                TestSettings.MINIMAL + "teal.cluster { store = zookeeper, zookeeper.connect = \"zk:2181\" }",
                Map.of("TEAL_COOKIE_SECRET", SECRET, "HOSTNAME", "web-7"));

        assertThat(settings.cluster().instanceId()).contains("web-7");
    }

    @Test
    void refusesAClusterWithoutAnExplicitCookieSecret() {
        InvalidSettingsException e = catchThrowableOfType(
                InvalidSettingsException.class, () -> SettingsLoader.parse(TestSettings.MINIMAL + ZOOKEEPER, Map.of()));

        assertThat(e.problems())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("teal.cluster.store: zookeeper (expected: an explicit cookie secret shared by every")
                .contains("TEAL_COOKIE_SECRET")
                .contains("strangers to the others");
    }

    @Test
    void aClusterNeedsTheEnsembleAndAnInstanceId() {
        InvalidSettingsException e = catchThrowableOfType(
                InvalidSettingsException.class,
                () -> SettingsLoader.parse(
                        TestSettings.MINIMAL + "teal.cluster.store = zookeeper", Map.of("TEAL_COOKIE_SECRET", SECRET)));

        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("teal.cluster.zookeeper.connect: \"\" (expected: host:port"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.cluster.instance-id: (none) (expected: a name unique"));
    }

    @Test
    void reportsEveryBadClusterValueAtOnce() {
        InvalidSettingsException e = catchThrowableOfType(
                InvalidSettingsException.class,
                () -> SettingsLoader.parse(TestSettings.MINIMAL + """
                                teal.cluster { store = etcd, instance-id = "a b", on-store-loss = panic
                                  zookeeper { connect = "zk:2181", root = "teal/", session-timeout = 0s } }
                                """, Map.of("TEAL_COOKIE_SECRET", SECRET)));

        assertThat(e.problems())
                .anySatisfy(p ->
                        assertThat(p).startsWith("teal.cluster.store: \"etcd\" (expected one of: file, zookeeper)"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.cluster.instance-id: \"a b\" (expected: 1-63 letters"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.cluster.on-store-loss: \"panic\""))
                .anySatisfy(
                        p -> assertThat(p).startsWith("teal.cluster.zookeeper.root: \"teal/\" (expected: an absolute"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.cluster.zookeeper.session-timeout: 0s"));
    }

    @Test
    void theRootStaysOutOfZooKeepersOwnTree() {
        for (String root : new String[] {"/zookeeper", "/zookeeper/quota", "/", "/a//b", "/a/../b", "/a/./b"}) {
            InvalidSettingsException e = catchThrowableOfType(
                    InvalidSettingsException.class,
                    () -> SettingsLoader.parse(
                            TestSettings.MINIMAL + ZOOKEEPER + "teal.cluster.zookeeper.root = \"" + root + "\"",
                            Map.of("TEAL_COOKIE_SECRET", SECRET)));

            assertThat(e.problems()).as(root).singleElement().asString().startsWith("teal.cluster.zookeeper.root: ");
        }
    }

    @Test
    void unknownClusterKeysAreProblems() {
        InvalidSettingsException e = catchThrowableOfType(
                InvalidSettingsException.class,
                () -> SettingsLoader.parse(
                        TestSettings.MINIMAL + "teal.cluster.zookeeper.conect = \"zk:2181\"", Map.of()));

        assertThat(e.problems()).singleElement().asString().contains("teal.cluster.zookeeper.conect");
    }

    @Test
    void theRecordRefusesAClusterWithoutItsEnsemble() {
        IllegalArgumentException e = catchThrowableOfType(
                IllegalArgumentException.class,
                () -> new ClusterSettings(
                        ClusterSettings.Store.ZOOKEEPER,
                        Optional.of("a"),
                        Optional.empty(),
                        ClusterSettings.OnStoreLoss.SERVE));

        assertThat(e).hasMessageContaining("zookeeper.connect");
    }
}
