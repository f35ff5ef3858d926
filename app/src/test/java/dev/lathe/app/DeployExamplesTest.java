package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/compose.yaml and deploy/kubernetes (docs/team-server.md "Run it as a container"), parsed and checked against
 * the image release/oci-image makes, as far as a machine without a container engine or a cluster can: the image's
 * name and this version, the port its variable sets, probes on /health that name a host the server answers for, every
 * secret a manifest reads defined, the image's non-root user, and no password written in the open.
 */
class DeployExamplesTest {
    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();
    private static final Path DEPLOY = CHECKOUT.resolve("deploy");
    private static final Path K8S = DEPLOY.resolve("kubernetes");

    /** The image's definition, read from the script that writes it, so that the examples cannot drift from it. */
    private record ImageFacts(String name, String version, String uid, String port) {
        static ImageFacts read() throws IOException {
            String script = Files.readString(CHECKOUT.resolve("release/oci-image"));
            String pom = Files.readString(CHECKOUT.resolve("pom.xml"));
            return new ImageFacts(group(script, "LATHE_IMAGE_NAME:-([^}]+)}"),
                    group(pom, "<artifactId>lathe-parent</artifactId>\\s*<version>([^<]+)</version>").replace("-SNAPSHOT", ""),
                    group(script, "\"User\": \"([0-9]+):"), group(script, "\"LATHE_PORT=([0-9]+)\""));
        }

        String reference() { return name + ":" + version; }
    }

    @Test
    void composeRunsTheImageBesidePostgresWithItsPasswordInASecret() throws IOException {
        var image = ImageFacts.read();
        var compose = map(load(DEPLOY.resolve("compose.yaml")).getFirst());
        var services = map(compose.get("services"));
        var lathe = map(services.get("lathe"));
        assertThat(lathe.get("image")).as("the image release/oci-image names, at this version").isEqualTo(image.reference());
        assertThat(lathe).doesNotContainKey("user");

        var env = map(lathe.get("environment"));
        assertThat(env.get("LATHE_PORT")).isEqualTo(image.port());
        assertThat(strings(lathe.get("ports"))).as("published on this machine's loopback only").containsExactly("127.0.0.1:" + image.port() + ":" + image.port());

        String store = (String) env.get("LATHE_STORE");
        Matcher url = Pattern.compile("postgresql://(\\w+):\\{file:/run/secrets/([\\w-]+)}@([\\w-]+):5432/(\\w+)").matcher(store);
        assertThat(url.matches()).as("the store URL takes its password from a secret's file: " + store).isTrue();
        assertThat(services).as("the store's host is the database service").containsKey(url.group(3));
        var secret = url.group(2);
        assertThat(strings(lathe.get("secrets"))).contains(secret);
        assertThat(map(compose.get("secrets"))).containsKey(secret);

        var postgres = map(services.get(url.group(3)));
        var pgEnv = map(postgres.get("environment"));
        assertThat(pgEnv.get("POSTGRES_USER")).isEqualTo(url.group(1));
        assertThat(pgEnv.get("POSTGRES_DB")).isEqualTo(url.group(4));
        assertThat(pgEnv.get("POSTGRES_PASSWORD_FILE")).isEqualTo("/run/secrets/" + secret);
        assertThat(pgEnv).doesNotContainKey("POSTGRES_PASSWORD");
        assertThat(strings(postgres.get("secrets"))).contains(secret);
        assertThat(map(map(lathe.get("depends_on")).get(url.group(3))).get("condition")).isEqualTo("service_healthy");
        assertThat(postgres).containsKey("healthcheck");

        String health = String.join(" ", strings(map(lathe.get("healthcheck")).get("test")));
        assertThat(health).contains("/health").contains("$${LATHE_PORT}");
        var volumes = strings(lathe.get("volumes"));
        assertThat(volumes).anyMatch(v -> v.endsWith(":/data"));
        for (String v : volumes) assertThat(map(compose.get("volumes"))).containsKey(v.substring(0, v.indexOf(':')));
    }

    @Test
    void kubernetesRunsSeveralNonRootNodesProbedOnHealthWithTheStoreInASecret() throws IOException {
        var image = ImageFacts.read();
        var docs = kubernetesDocuments();
        var deployment = only(docs, "Deployment", "lathe");
        var spec = map(deployment.get("spec"));
        assertThat((Integer) spec.get("replicas")).as("several nodes").isGreaterThanOrEqualTo(2);
        var pod = map(map(spec.get("template")).get("spec"));
        var podSecurity = map(pod.get("securityContext"));
        assertThat(podSecurity).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", Integer.parseInt(image.uid()))
                .containsEntry("fsGroup", Integer.parseInt(image.uid()));

        var container = map(list(pod.get("containers")).getFirst());
        assertThat(container.get("image")).isEqualTo(image.reference());
        assertThat(strings(container.get("args")).subList(0, 2)).containsExactly("lathe", "serve");
        var security = map(container.get("securityContext"));
        assertThat(security).containsEntry("allowPrivilegeEscalation", false);
        assertThat(strings(map(security.get("capabilities")).get("drop"))).contains("ALL");

        var env = new java.util.LinkedHashMap<String, Map<String, Object>>();
        for (Object e : list(container.get("env"))) env.put((String) map(e).get("name"), map(e));
        assertThat(env.get("LATHE_PORT").get("value")).isEqualTo(image.port());
        var port = map(list(container.get("ports")).getFirst());
        assertThat(port.get("containerPort")).isEqualTo(Integer.parseInt(image.port()));
        assertThat(env.get("LATHE_STORE")).as("the store URL comes from a Secret").containsKey("valueFrom");
        String publicUrl = (String) env.get("LATHE_PUBLIC_URL").get("value");
        assertThat(publicUrl).startsWith("https://");

        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            var get = map(map(container.get(probe)).get("httpGet"));
            assertThat(get.get("path")).as(probe).isEqualTo("/health");
            assertThat(get.get("port")).as(probe).isIn(port.get("name"), port.get("containerPort"));
            // the kubelet would send the pod's IP as Host, which the server refuses (421)
            assertThat(get).as(probe + " sets the Host header").containsKey("httpHeaders");
            assertThat(list(get.get("httpHeaders"))).as(probe + " names a host the server answers for")
                    .anySatisfy(h -> assertThat(map(h)).containsEntry("name", "Host").containsEntry("value", "localhost"));
        }
        if (Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
            assertThat(list(container.get("volumeMounts"))).extracting(m -> map(m).get("mountPath")).contains("/data", "/tmp");
        }

        var service = only(docs, "Service", "lathe");
        assertThat(map(map(service.get("spec")).get("selector"))).isEqualTo(map(map(map(spec.get("template")).get("metadata")).get("labels")));
        assertThat(map(list(map(service.get("spec")).get("ports")).getFirst()).get("targetPort")).isIn(port.get("name"), port.get("containerPort"));

        var ingress = only(docs, "Ingress", "lathe");
        var rule = map(list(map(ingress.get("spec")).get("rules")).getFirst());
        assertThat("https://" + rule.get("host")).as("the ingress serves the name the nodes accept").isEqualTo(publicUrl);
    }

    @Test
    void everySecretAManifestReadsIsDefinedAndKustomizationListsEveryManifest() throws IOException {
        var docs = kubernetesDocuments();
        var defined = new TreeSet<String>();
        for (var doc : docs) {
            if (!"Secret".equals(doc.get("kind"))) continue;
            String name = (String) map(doc.get("metadata")).get("name");
            for (String field : List.of("stringData", "data")) {
                if (doc.get(field) != null) map(doc.get(field)).keySet().forEach(k -> defined.add(name + "/" + k));
            }
        }
        var read = new TreeSet<String>();
        for (var doc : docs) collectSecretRefs(doc, read);
        assertThat(read).as("the secrets the manifests read").isNotEmpty();
        assertThat(defined).containsAll(read);
        // the store URL keeps its password out: a reference to the variable the Deployment fills from the secret
        var secret = only(docs, "Secret", "lathe-db");
        assertThat((String) map(secret.get("stringData")).get("store")).contains("{env:LATHE_DB_PASSWORD}");

        var kustomization = map(load(K8S.resolve("kustomization.yaml")).getFirst());
        Set<String> files = new TreeSet<>();
        try (Stream<Path> all = Files.list(K8S)) {
            all.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).forEach(files::add);
        }
        assertThat(new TreeSet<>(strings(kustomization.get("resources")))).isEqualTo(files);
    }

    private static void collectSecretRefs(Object node, Set<String> into) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("secretKeyRef") instanceof Map<?, ?> ref) into.add(ref.get("name") + "/" + ref.get("key"));
            m.values().forEach(v -> collectSecretRefs(v, into));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectSecretRefs(v, into));
        }
    }

    private static List<Map<String, Object>> kubernetesDocuments() throws IOException {
        var docs = new ArrayList<Map<String, Object>>();
        try (Stream<Path> all = Files.list(K8S)) {
            for (Path file : all.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                for (Object doc : load(file)) {
                    var manifest = map(doc);
                    assertThat(manifest).as(file + ": a manifest").containsKeys("apiVersion", "kind", "metadata");
                    docs.add(manifest);
                }
            }
        }
        return docs;
    }

    private static Map<String, Object> only(List<Map<String, Object>> docs, String kind, String name) {
        var found = docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(map(d.get("metadata")).get("name"))).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.getFirst();
    }

    private static List<Object> load(Path file) throws IOException {
        var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        var out = new ArrayList<>();
        for (Object doc : yaml.loadAll(Files.readString(file))) if (doc != null) out.add(doc);
        assertThat(out).as(file + " holds YAML").isNotEmpty();
        return out;
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

    private static List<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).toList();
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/" + regex + "/ in the image's definition").isTrue();
        return m.group(1);
    }
}
