import { expect } from "vitest";
import check from "./rwo-rolling-deadlock.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { manifestDocs } from "../../src/sources/kit/manifests.ts";

const manifests = (files: Record<string, string>) => manifestDocs(kitFrom(files));

const PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: registry-data
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 20Gi}}
`;
const REGISTRY = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: registry
spec:
  selector: {matchLabels: {app: registry}}
  template:
    metadata: {labels: {app: registry}}
    spec:
      containers: [{name: registry, image: "registry:2"}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: registry-data}
`;

testCheck(check, {
  valid: [
    { name: "Recreate", facts: { manifests: manifests({ "apps/pvc.yaml": PVC, "apps/registry.yaml": REGISTRY.replace("spec:\n  selector", "spec:\n  strategy: {type: Recreate}\n  selector") }) }, message: /1 Deployment manifest/ },
    { name: "the claim is defined elsewhere: not judged", facts: { manifests: manifests({ "apps/registry.yaml": REGISTRY }) } },
  ],
  invalid: [
    {
      name: "defaults: one replica, RollingUpdate, a RWO claim in another file",
      facts: { manifests: manifests({ "apps/pvc.yaml": PVC, "apps/registry.yaml": REGISTRY }) },
      results: [
        {
          status: "warn",
          subject: "deployment registry in apps/registry.yaml",
          message: /runs one replica with RollingUpdate and mounts ReadWriteOnce claim "registry-data"/,
          location: { file: "apps/registry.yaml", line: 6, column: 1 },
          fix: ["edit"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "edit") throw new Error("no edit");
            expect(step.edit.after).toBe(REGISTRY.replace("  template:\n", "  strategy:\n    type: Recreate\n  template:\n"));
          },
        },
      ],
    },
  ],
  unavailable: [{ name: "the kit cannot be read", source: "files", kind: "failed", status: "error" }],
});

