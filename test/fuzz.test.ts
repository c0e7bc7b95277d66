/**
 * Fuzzing every parser with fast-check: whatever the input, a parser returns a value or throws
 * its own clear error (SourceError, JsonStreamError, ConfigError), never a TypeError or a crash.
 * Quick profile here (FUZZ_RUNS, default 150 per property); `npm run bench -- fuzz` runs long.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { parseJsonStream, JsonStreamError } from "../src/util/json-stream.ts";
import { parseKit } from "../src/sources/kit/kit.ts";
import { templateDocs, omniDocumentStart, templateFiles } from "../src/sources/kit/templates.ts";
import { machineClassDocs } from "../src/sources/kit/machine-classes.ts";
import { commandArgs, composeServices, interpolate } from "../src/sources/kit/compose.ts";
import { deployment } from "../src/sources/kit/deployment.ts";
import { parseEnvFile } from "../src/sources/kit/env-file.ts";
import { compileSelector } from "../src/cel/storage-selector.ts";
import { parseStream, parseValue } from "../src/sources/exec-output.ts";
import { omniEnvelope, classifyOmnictlError } from "../src/sources/omni/omnictl.ts";
import { clusterMachineStatusSpec } from "../src/sources/omni/resources.ts";
import { talosEnvelope, classifyTalosctlError } from "../src/sources/talos/talosctl.ts";
import { addressStatusSpec } from "../src/sources/talos/resources.ts";
import { classifyKubectlError } from "../src/sources/kube/kubectl.ts";
import { node as kubeNode } from "../src/sources/kube/objects.ts";
import { clusterVm, nodeDns, pveNode, qemuConfig } from "../src/sources/proxmox/responses.ts";
import { classifyPveAnswer } from "../src/sources/proxmox/client.ts";
import { readDnsReply } from "../src/sources/net/dns-reply.ts";
import { parseConfig, ConfigError } from "../src/config/config-file.ts";
import { SourceError } from "../src/sources/source-error.ts";
import { entrySchema, manifestSchema, parseRecordingText, RecordingError } from "../src/sources/recording.ts";
import { redact } from "../src/sources/redact.ts";
import { goJsonStream } from "./harness/lab/go-json.ts";
import { omni } from "./harness/lab/omni.ts";
import { talos } from "./harness/lab/talos.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** Either a value or one of our own errors. */
function clearly(fn: () => unknown, ...allowed: Array<new (...args: never[]) => Error>): void {
  try {
    fn();
  } catch (error) {
    if (!allowed.some((kind) => error instanceof kind)) throw error;
  }
}

/** A valid sample with random damage: cut, duplicated or replaced characters. */
function damaged(sample: string): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.nat(sample.length), fc.nat(8), fc.string({ maxLength: 6 })), { maxLength: 6 })
    .map((edits) => edits.reduce((text, [at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut), sample));
}

const yamlish = fc.string({ unit: fc.constantFrom(..."abc:-# \n\t'\"{}[],|>&*!%@`$~?0123456789".split("")), maxLength: 300 });

const TEMPLATE = "kind: Cluster\nname: a\nkubernetes:\n  version: v1.35.2\ntalos:\n  version: v1.12.4\npatches:\n  - name: p\n    inline:\n      machine:\n        nodeLabels: {a: b}\n---\nkind: ControlPlane\nmachineClass:\n  name: cp\n  size: 3\n";
const CLASS = "metadata:\n  type: MachineClasses.omni.sidero.dev\n  id: w\nspec:\n  autoprovision:\n    providerid: proxmox\n    providerdata: |\n      cores: 2\n      storage_selector: name == \"x\"\n";
const COMPOSE = "services:\n  omni:\n    image: ghcr.io/siderolabs/omni:v1.10.4\n    command: >\n      --name=${NAME}\n      --machine-api-advertised-url=https://omni:8090/\n";
const OMNI_STREAM = goJsonStream([omni.clusterMachineStatus({ id: "a", cluster: "c", nodeName: "n" })].map((r) => ({ metadata: { namespace: "default", type: r.type, id: r.id, phase: "running", labels: r.labels }, spec: r.spec })));
const TALOS_STREAM = goJsonStream(talos.nodeAddresses("10.0.0.1").map((r) => ({ node: "n", metadata: { namespace: r.namespace, type: r.type, id: r.id, phase: "running" }, spec: r.spec })));

function walkKit(text: string): void {
  const kit = parseKit(".", [
    { path: "t.yaml", text },
    { path: ".env", text },
  ]);
  for (const file of templateFiles(kit)) for (const td of templateDocs(file)) omniDocumentStart(file, td.doc);
  for (const mc of machineClassDocs(kit)) {
    mc.locate(["spec", "autoprovision", "providerid"]);
    mc.providerData?.locate(["storage_selector"]);
  }
  for (const service of composeServices(kit)) interpolate(commandArgs(service).join(" "), service.project.env);
  deployment(kit);
}

describe("fuzz: kit files", () => {
  it("templates, machine classes, compose and env files: never a crash", () => {
    fc.assert(fc.property(fc.oneof(yamlish, damaged(TEMPLATE), damaged(CLASS), damaged(COMPOSE)), walkKit), { numRuns: RUNS });
  });
  it("env files", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), damaged("A=1\nB='x y'\nexport C=\"q\\\"\"\n")), (text) => void parseEnvFile("x.env", text)), { numRuns: RUNS });
  });
  it("omni-doctor.yaml", () => {
    fc.assert(fc.property(fc.oneof(yamlish, damaged("suppressions:\n  - check: a/b\n    reason: r\nproxmox:\n  url: x\n")), (text) => clearly(() => parseConfig("c.yaml", text), ConfigError)), { numRuns: RUNS });
  });
  it("recordings (a user may hand-edit one)", () => {
    const entry = "source: omni\nkey: omnictl get x\nanswer:\n  exitCode: 0\n  stdout: |\n    {}\n  stderr: ''\n";
    const manifest = "format: 1\ntool: omni-doctor\nversion: 0.1.0\nrecordedAt: 2026-11-20T10:00:00Z\nsources: {}\n";
    fc.assert(
      fc.property(fc.oneof(yamlish, damaged(entry), damaged(manifest)), (text) => {
        clearly(() => parseRecordingText("e.yaml", text, entrySchema), RecordingError);
        clearly(() => parseRecordingText("recording.yaml", text, manifestSchema), RecordingError);
      }),
      { numRuns: RUNS },
    );
  });
  it("storage selectors compile or explain, and evaluate without throwing", () => {
    const expr = fc.oneof(fc.string({ maxLength: 60 }), damaged('name == "local-lvm" && availableSpace > 100u'), damaged('storage.filter(s, s.type == "x")[0].name'));
    fc.assert(
      fc.property(expr, (e) => {
        const compiled = compileSelector(e);
        if (compiled.ok) compiled.matches({ name: "a", node: "n", storageType: "dir", availableSpace: 1n });
      }),
      { numRuns: RUNS },
    );
  });
});

describe("fuzz: program outputs", () => {
  it("JSON streams", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), damaged(OMNI_STREAM), fc.json()), (text) => clearly(() => parseJsonStream(text), JsonStreamError)), { numRuns: RUNS });
  });
  it("omnictl and talosctl resources", () => {
    fc.assert(
      fc.property(fc.oneof(damaged(OMNI_STREAM), damaged(TALOS_STREAM), fc.json()), (text) => {
        clearly(() => parseStream("omni", "omnictl get x", text, omniEnvelope(clusterMachineStatusSpec)), SourceError);
        clearly(() => parseStream("talos", "talosctl get x", text, talosEnvelope(addressStatusSpec)), SourceError);
      }),
      { numRuns: RUNS },
    );
  });
  it("error classification of stderr", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer(), (stderr, code) => {
        classifyOmnictlError(stderr, code);
        classifyTalosctlError(stderr, code);
        classifyKubectlError(stderr, code);
      }),
      { numRuns: RUNS },
    );
  });
  it("kubectl lists and Proxmox responses", () => {
    const list = z.object({ items: z.array(kubeNode).nullish() });
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const schema of [list, z.array(pveNode), z.array(clusterVm), qemuConfig, nodeDns] as z.ZodType[]) clearly(() => parseValue("pve", "x", value, schema), SourceError);
      }),
      { numRuns: RUNS },
    );
  });
  it("Proxmox failures are classified whatever the status line and body", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 999 }), fc.string(), fc.option(fc.string()), fc.string(), (status, statusText, contentType, body) => {
        classifyPveAnswer("GET /x", { status, statusText, contentType, body }, new Error("x"));
      }),
      { numRuns: RUNS },
    );
  });
  it("DNS replies: garbage is ignored, never thrown", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 65535 }), (bytes, id) => void readDnsReply(bytes, id, "A")), { numRuns: RUNS });
  });
  it("redaction never throws and never grows a secret back", () => {
    fc.assert(fc.property(fc.string(), (text) => void redact(text)), { numRuns: RUNS });
  });
});
