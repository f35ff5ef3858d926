// Validates Kubernetes manifests against the published schemas: kubernetes-models for the built-in kinds,
// @kubernetes-models/keda for KEDA's. Usage: node validate.mjs FILE...; prints "ok KIND NAME" per document, or
// "invalid FILE KIND NAME: what" and exits 1. A kind neither package knows is invalid too: nothing passes unchecked.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models";
import * as keda from "@kubernetes-models/keda";

function groupOf(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "") return core[version];
  const key = group.replace(/\.([a-z0-9])/g, (_, c) => c.toUpperCase());  // networking.k8s.io → networkingK8sIo
  const from = group.endsWith("keda.sh") ? keda : core;
  return from[key]?.[version];
}

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) { console.log(`invalid ${file}: ${doc.errors[0].message}`); failed = true; continue; }
    const object = doc.toJS();
    if (object === null) continue;
    // kustomize's own file is read by kubectl, never sent to the server: no API schema applies to it
    if (object.apiVersion?.startsWith("kustomize.config.k8s.io/") && object.kind === "Kustomization") { console.log(`skipped ${file}: kustomize's own file`); continue; }
    const name = `${object.kind} ${object.metadata?.name ?? "?"}`;
    const Model = groupOf(String(object.apiVersion ?? ""))?.[object.kind];
    if (typeof Model !== "function") { console.log(`invalid ${file} ${name}: no schema for ${object.apiVersion} ${object.kind}`); failed = true; continue; }
    try {
      new Model(object).validate();
      console.log(`ok ${name}`);
    } catch (e) {
      console.log(`invalid ${file} ${name}: ${e.message.split("\n").slice(0, 3).join(" ")}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
