package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.store.postgresql.PostgresStorage;
import dev.lathe.protocol.SessionId;
import dev.lathe.testkit.PostgresCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/kubernetes's scaling and disruption pieces (DESIGN §34, docs/team-server.md "Scale on Kubernetes"): the KEDA
 * ScaledObject's query, run as KEDA's PostgreSQL scaler runs it against a real database that real nodes queued prompts
 * in, answers the number of sessions waiting for a node; the Deployment outlives its drain and calls it before SIGTERM;
 * the PodDisruptionBudget and the ScaledObject point at the Deployment. Each document's schema is checked by
 * {@link DeploySchemasIT}; here what the schemas cannot say.
 */
class DeployScalingTest {
    private static final Path K8S = Path.of("").toAbsolutePath().getParent().resolve("deploy/kubernetes");
    /** The drain's default (DESIGN §34 {@code "drain": {"seconds": N}}). */
    private static final int DRAIN_SECONDS = 60;

    @Test
    void theScaledObjectsQueryCountsTheSessionsWaitingForANode() throws Exception {
        var scaled = only(documents(), "ScaledObject", "lathe");
        var trigger = map(list(map(scaled.get("spec")).get("triggers")).getFirst());
        assertThat(trigger.get("type")).isEqualTo("postgresql");
        var meta = map(trigger.get("metadata"));
        String query = (String) meta.get("query");
        assertThat(meta).containsKeys("host", "port", "userName", "dbName", "sslmode", "targetQueryValue");
        assertThat(meta).as("the password comes from a TriggerAuthentication, never the manifest").doesNotContainKey("password");

        var db = PostgresCluster.shared().newDatabase("keda_queue");
        try (var a = PostgresStorage.open(db.url(), new TeamNode("node-a", Duration.ofSeconds(15), 0));
                var b = PostgresStorage.open(db.url(), new TeamNode("node-b", Duration.ofSeconds(15), 1))) {
            assertThat(count(db, query)).as("an empty queue").isZero();
            // node a takes no work (its leases are not started): its three prompts wait in the database for a node
            for (int i = 0; i < 3; i++) a.cluster().leases().queue(new SessionId("ses_keda_" + i));
            assertThat(count(db, query)).as("three prompts queued, no node has taken one").isEqualTo(3);

            // node b, with room for one session, takes one: two still wait for a node with room
            var runs = new Taking();
            b.cluster().leases().start(runs);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (runs.taken.isEmpty() && System.nanoTime() < end) Thread.sleep(50);
            assertThat(runs.taken).hasSize(1);
            assertThat(count(db, query)).as("one taken by node b, two waiting").isEqualTo(2);

            // a prompt for a session whose lease a live node holds (node c's row, as a node between two renewals
            // writes it) waits for that node, not for a new one: it is not counted
            sql(db, "INSERT INTO session_lease(session_id, node, heartbeat, expires_at) VALUES ('ses_keda_held', 'node-c', now(),"
                    + " now() + interval '1 hour')");
            a.cluster().leases().queue(new SessionId("ses_keda_held"));
            assertThat(count(db, "SELECT count(*) FROM session_work")).as("its prompt is queued").isEqualTo(3);
            assertThat(count(db, query)).as("still two waiting for a node").isEqualTo(2);
            // once that lease runs out (node c died), a node must take it over: counted
            sql(db, "UPDATE session_lease SET expires_at = now() - interval '1 second' WHERE session_id = 'ses_keda_held'");
            assertThat(count(db, query)).as("a dead node's session waits for a node").isEqualTo(3);
        }
    }

    @Test
    void nodesOutliveTheirDrainCallItBeforeStoppingAndLeaveOneAtATime() throws IOException {
        var docs = documents();
        var deployment = only(docs, "Deployment", "lathe");
        var labels = map(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
        var pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).as("longer than the default drain").isGreaterThan(DRAIN_SECONDS);
        var container = map(list(pod.get("containers")).getFirst());
        assertThat(container).containsKeys("name", "image");
        var preStop = map(map(map(container.get("lifecycle")).get("preStop")).get("exec"));
        String command = String.join(" ", list(preStop.get("command")).stream().map(String::valueOf).toList());
        assertThat(command).contains("-X POST").contains("/admin/drain").contains("Authorization: Bearer $LATHE_ADMIN_TOKEN");
        assertThat(list(container.get("env"))).anySatisfy(e -> assertThat(map(map(map(e).get("valueFrom")).get("secretKeyRef")))
                .containsEntry("name", "lathe-admin").containsEntry("key", "token"));
        assertThat(only(docs, "Secret", "lathe-admin").get("stringData")).isNotNull();

        var pdb = only(docs, "PodDisruptionBudget", "lathe");
        assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1");
        var pdbSpec = map(pdb.get("spec"));
        assertThat(pdbSpec).as("one of minAvailable, maxUnavailable").containsKey("maxUnavailable").doesNotContainKey("minAvailable");
        assertThat(map(map(pdbSpec.get("selector")).get("matchLabels"))).isEqualTo(labels);

        var scaled = only(docs, "ScaledObject", "lathe");
        assertThat(scaled.get("apiVersion")).isEqualTo("keda.sh/v1alpha1");
        var spec = map(scaled.get("spec"));
        assertThat(map(spec.get("scaleTargetRef")).get("name")).isEqualTo(map(deployment.get("metadata")).get("name"));
        assertThat((Integer) spec.get("minReplicaCount")).as("one node can drain while another serves").isGreaterThanOrEqualTo(2);
        assertThat((Integer) spec.get("maxReplicaCount")).isGreaterThanOrEqualTo((Integer) spec.get("minReplicaCount"));
        var auth = map(map(list(spec.get("triggers")).getFirst()).get("authenticationRef"));
        var triggerAuth = only(docs, "TriggerAuthentication", (String) auth.get("name"));
        var ref = map(list(map(triggerAuth.get("spec")).get("secretTargetRef")).getFirst());
        assertThat(ref).containsEntry("parameter", "password").containsEntry("name", "lathe-db").containsEntry("key", "password");
    }

    private static void sql(PostgresCluster.Database db, String statement) throws Exception {
        var props = new Properties();
        props.setProperty("user", PostgresCluster.SUPERUSER);
        try (var c = new org.postgresql.Driver().connect(db.jdbcUrl(), props); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** Runs KEDA's way: one connection, the query, the first column of the first row as the metric. */
    private static long count(PostgresCluster.Database db, String query) throws Exception {
        var props = new Properties();
        props.setProperty("user", PostgresCluster.SUPERUSER);
        try (var c = new org.postgresql.Driver().connect(db.jdbcUrl(), props); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    /** A node that runs whatever it takes, for as long as the test lasts (so it keeps each lease). */
    private static final class Taking implements SessionLeases.Runs {
        final Set<SessionId> taken = ConcurrentHashMap.newKeySet();

        @Override public boolean running(SessionId id) { return taken.contains(id); }

        @Override public void take(SessionId id) { taken.add(id); }

        @Override public List<SessionId> running() { return List.copyOf(taken); }

        @Override public void stopped(Set<SessionId> sessions) {}

        @Override public void abort(SessionId id) {}

        @Override public int runningCount() { return taken.size(); }
    }

    private static List<Map<String, Object>> documents() throws IOException {
        var out = new ArrayList<Map<String, Object>>();
        try (var files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(f))) {
                    if (doc == null) continue;
                    var m = map(doc);
                    assertThat(m).as(f + ": apiVersion, kind, metadata.name").containsKeys("apiVersion", "kind", "metadata");
                    assertThat(map(m.get("metadata"))).as(f.toString()).containsKey("name");
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static Map<String, Object> only(List<Map<String, Object>> docs, String kind, String name) {
        var found = docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(map(d.get("metadata")).get("name"))).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
