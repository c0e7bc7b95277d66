import { expect } from "vitest";
import check from "./cert-manager.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { certificate as certificateSchema, challenge as challengeSchema } from "../../src/sources/kube/objects.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const cert = (name: string, ...args: Parameters<typeof kube.condition>) => certificateSchema.parse(kube.certificate("apps", name, kube.condition(...args)));
const challenge = (name: string, state: string, reason: string, created?: string) => challengeSchema.parse(kube.challenge("apps", name, { dnsName: "wiki.lab.example", state, reason, ...(created ? { created } : {}) }));
const list = <T>(...items: T[]) => ({ installed: true, items });

testCheck(check, {
  valid: [
    {
      name: "issued certificates; a challenge pending for a minute; a renewal in progress",
      facts: {
        certificates: list(cert("wiki", "Ready", "True", "Ready", "Certificate is up to date and has not expired"), cert("git", "Ready", "False", "DoesNotExist", "Issuing certificate as Secret does not exist", "2026-11-20T09:55:00Z")),
        challenges: list(challenge("git-1-2-3", "pending", "Waiting for DNS-01 challenge propagation", "2026-11-20T09:59:00Z")),
      },
      message: "2 certificate(s) Ready, no challenge failing",
    },
  ],
  invalid: [
    {
      name: "DNS-01 propagation check failing (003), and its certificate",
      facts: {
        certificates: list(cert("wiki", "Ready", "False", "DoesNotExist", "Issuing certificate as Secret does not exist")),
        challenges: list(challenge("wiki-1-2-3", "pending", 'Waiting for DNS-01 challenge propagation: propagation check failed: dial udp: lookup ns1.old-provider.example: no such host')),
      },
      results: [
        {
          status: "fail",
          subject: "challenge apps/wiki-1-2-3",
          message: /DNS-01 challenge for wiki.lab.example has been pending for \d+ minutes: cert-manager cannot see the TXT record/,
          fix: ["manual", "command"],
          satisfies: (r) => {
            const step = r.fix!.steps[1]!;
            expect(step.kind === "command" && step.argv.join(" ")).toBe("kubectl delete challenge.acme.cert-manager.io wiki-1-2-3 --namespace apps");
            expect(step.destructive).toBe(true);
          },
        },
        { status: "fail", subject: "certificate apps/wiki", message: "is not Ready for 120 minutes: Issuing certificate as Secret does not exist", fix: ["command"] },
      ],
    },
    {
      name: "a webhook failure and an expired certificate",
      facts: {
        certificates: list(certificateSchema.parse(kube.certificate("apps", "old", kube.condition("Ready", "True", "Ready", "ok"), { notAfter: "2026-11-01T00:00:00Z" }))),
        challenges: list(challenge("api-1", "errored", "webhook call failed: connection refused")),
      },
      results: [
        { status: "fail", message: /failed \(errored\): the DNS-01 webhook solver failed/ },
        { status: "fail", subject: "certificate apps/old", message: /^expired 2026-11-01T00:00:00Z and was not renewed/ },
      ],
    },
    { name: "cert-manager not installed", facts: { certificates: { installed: false, items: [] }, challenges: { installed: false, items: [] } }, results: [{ status: "skip", message: /cert-manager is not installed/ }] },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "unreachable", source: "kube", kind: "unreachable", status: "error" },
  ],
});
