package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.NpmServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest {@code kubectl apply -k deploy/kubernetes} applies (the resources kustomization.yaml lists), checked
 * against the published schemas: the Kubernetes API's (npm {@code kubernetes-models}) and KEDA's CRDs' (npm
 * {@code @kubernetes-models/keda}), by {@code testkit/npm/k8s-validate.mjs} under node. No cluster runs here; this is
 * the check a server's admission would make of each document's types and required fields.
 */
class DeploySchemasIT {
    private static final Path K8S = Path.of("").toAbsolutePath().getParent().resolve("deploy/kubernetes");

    @TempDir Path tmp;

    private record Checked(int exit, String output) {}

    private static Checked validate(List<Path> files) throws Exception {
        var command = new ArrayList<String>(List.of("node", NpmServers.script("k8s-validate.mjs").toString()));
        files.forEach(f -> command.add(f.toString()));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Checked(process.exitValue(), out);
    }

    /** The files kustomization.yaml lists under {@code resources:}, in its order. */
    private static List<Path> resources() throws Exception {
        String kustomization = Files.readString(K8S.resolve("kustomization.yaml"));
        Matcher m = Pattern.compile("(?m)^\\s+-\\s+(\\S+\\.yaml)\\s*$").matcher(kustomization);
        var files = new ArrayList<Path>();
        while (m.find()) files.add(K8S.resolve(m.group(1)));
        return files;
    }

    @Test
    void everyManifestTheKustomizationAppliesMatchesItsPublishedSchema() throws Exception {
        List<Path> files = resources();
        assertThat(files).extracting(f -> f.getFileName().toString())
                .contains("deployment.yaml", "service.yaml", "poddisruptionbudget.yaml", "scaledobject.yaml");
        Checked checked = validate(files);
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.output().lines().toList()).contains("ok Deployment lathe", "ok Service lathe", "ok PodDisruptionBudget lathe",
                "ok ScaledObject lathe", "ok TriggerAuthentication lathe-postgres").noneMatch(l -> l.startsWith("invalid"));
    }

    /** The check is not a parse alone: a wrong type, a missing required field and an unknown kind are each refused. */
    @Test
    void aManifestWithAWrongTypeAMissingFieldOrAnUnknownKindIsRefused() throws Exception {
        String deployment = Files.readString(K8S.resolve("deployment.yaml"));
        assertThat(deployment).contains("replicas: 3").contains("containerPort:");
        Path broken = tmp.resolve("deployment.yaml");
        Files.writeString(broken, deployment.replace("replicas: 3", "replicas: three").replace("containerPort:", "port:"));
        Path unknown = tmp.resolve("unknown.yaml");
        Files.writeString(unknown, "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n");

        Checked checked = validate(List.of(broken, unknown));

        assertThat(checked.exit()).isEqualTo(1);
        assertThat(checked.output()).contains("invalid " + broken + " Deployment lathe").contains("spec/replicas must be integer")
                .contains("must have required property containerPort").contains("no schema for example.com/v1 Gadget");
    }
}
