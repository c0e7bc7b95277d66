import { expect } from "vitest";
import check from "./sealed-secrets.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { conditioned as conditionedSchema, pod as podSchema } from "../../src/sources/kube/objects.ts";
import { manifestDocs } from "../../src/sources/kit/manifests.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const sealed = (namespace: string, name: string, status: "True" | "False", message = "") =>
  conditionedSchema.parse(kube.conditioned("bitnami.com/v1alpha1", "SealedSecret", namespace, name, [kube.condition("Synced", status, status === "True" ? "" : "ErrUnsealFailed", message)]));
const controller = podSchema.parse(
  kube.pod("kube-system", "sealed-secrets-controller-7c9d8f6b5-abcde", { owner: { kind: "ReplicaSet", name: "sealed-secrets-controller-7c9d8f6b5" }, containers: [{ image: "docker.io/bitnami/sealed-secrets-controller:0.27.1" }] }),
);
const installed = <T>(items: T[]) => ({ installed: true, items });

testCheck(check, {
  valid: [{ name: "all synced", facts: { sealedSecrets: installed([sealed("csi-proxmox", "proxmox-csi-plugin", "True")]), pods: [controller] }, message: "1 SealedSecret(s) unsealed" }],
  invalid: [
    {
      name: "sealed with another key (003), traced to its manifest",
      facts: {
        sealedSecrets: installed([sealed("csi-proxmox", "proxmox-csi-plugin", "False", "no key could decrypt secret (config.yaml)")]),
        pods: [controller],
        manifests: manifestDocs(kitFrom({ "k8s/csi/sealed.yaml": "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: proxmox-csi-plugin\n  namespace: csi-proxmox\nspec:\n  encryptedData: {}\n" })),
      },
      results: [
        {
          status: "fail",
          subject: "sealedsecret csi-proxmox/proxmox-csi-plugin",
          message: /cannot be unsealed: it was sealed with a key this cluster's controller does not have/,
          location: { file: "k8s/csi/sealed.yaml", line: 6, column: 1 },
          evidence: ["Synced=False reason=ErrUnsealFailed message=no key could decrypt secret (config.yaml)"],
          fix: ["command", "manual"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "command" && step.argv).toEqual(["kubeseal", "--controller-namespace", "kube-system", "--controller-name", "sealed-secrets-controller", "--fetch-cert"]);
          },
        },
      ],
    },
    {
      name: "a Secret of the same name exists",
      facts: { sealedSecrets: installed([sealed("apps", "db", "False", "Resource already exists and is not managed by SealedSecret")]), pods: [] },
      results: [
        {
          status: "fail",
          message: "is not unsealed: Resource already exists and is not managed by SealedSecret",
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "command" && step.argv.join(" ")).toBe("kubectl annotate secret db --namespace apps sealedsecrets.bitnami.com/managed=true --overwrite");
          },
        },
      ],
    },
    { name: "Sealed Secrets not installed", facts: { sealedSecrets: { installed: false, items: [] } }, results: [{ status: "skip", message: /not installed/ }] },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "timeout", source: "kube", kind: "timeout", status: "error" },
  ],
});
