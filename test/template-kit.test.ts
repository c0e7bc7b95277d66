/** Cluster templates read from a kit (paths, patches, positions), in-place YAML edits, and the template facts. */
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { isSeq, type Node } from "yaml";
import { kitFrom } from "./harness/check-tester.ts";
import { templatesFrom } from "./harness/template-kit.ts";
import { buildClusterTemplates, patchDocuments, talosMinorOf } from "../src/sources/kit/cluster-templates.ts";
import { documentTree, indentOf, insertAfterItem, insertKeys, removeItem, removeKeys, replaceScalar } from "../src/sources/kit/yaml-edit.ts";
import { applyTextEdits } from "../src/sources/kit/text-edit.ts";
import { nodeAt, parseYamlFile } from "../src/sources/kit/yaml-file.ts";
import { clusterTemplates, talosSchemas } from "../src/sources/kit/template-facts.ts";
import { machineClasses } from "../src/sources/omni/facts.ts";
import { RunContext } from "../src/engine/context.ts";
import { OfflineTransport } from "../src/sources/offline-transport.ts";
import { parseKit, readKitFiles } from "../src/sources/kit/kit.ts";
import { installFakeTools } from "./harness/fake-tools.ts";
import { LiveTransport } from "../src/sources/live-transport.ts";
import { SourceError } from "../src/sources/source-error.ts";
import type { Transport } from "../src/sources/transport.ts";
import type { Lab } from "./harness/lab/model.ts";

describe("cluster templates", () => {
  it("resolves file: against the template's folder and the kit root, and names the os.Root path", () => {
    const { templates } = templatesFrom(
      { "clusters/t.yaml": "kind: Cluster\nname: a\npatches:\n  - file: patches/a.yaml\n  - file: ../shared/b.yaml\n  - file: /etc/c.yaml\n", "patches/a.yaml": "machine: {}\n" },
      { cwd: "/work/kit" },
    );
    const [a, b, c] = templates[0]!.patches.map((p) => p.file!);
    expect([a!.fromTemplate.path, a!.fromTemplate.state, a!.fromKitRoot.path, a!.fromKitRoot.state, a!.rootRelative]).toEqual(["clusters/patches/a.yaml", "missing", "patches/a.yaml", "file", "patches/a.yaml"]);
    expect(b!.rootRelative).toBe("../shared/b.yaml");
    expect([c!.fromTemplate.path, c!.rootRelative]).toEqual(["../../etc/c.yaml", "../../../etc/c.yaml"]);
  });

  it("reads a referenced file the kit walk skipped through readFile, once", () => {
    const read: string[] = [];
    const kit = kitFrom({ "t.yaml": "kind: Cluster\nname: a\npatches:\n  - file: p.patch\n  - name: again\n    file: p.patch\n" });
    const { templates, patchFiles } = buildClusterTemplates(kit, {
      cwd: "/k",
      readFile: (path) => {
        read.push(path);
        return { state: "file", text: "machine:\n  kubelet: {}\n" };
      },
    });
    expect(read).toEqual(["/k/p.patch"]);
    expect(templates[0]!.patches[0]!.file!.fromTemplate.content?.docs).toHaveLength(1);
    expect(patchFiles.map((p) => [p.path, p.references.length])).toEqual([["p.patch", 2]]);
  });

  it("reads every patch form with positions in the kit file, later documents included", () => {
    const text = [
      "kind: Cluster",
      "name: a",
      "talos:",
      "  version: v1.12.4",
      "---",
      "kind: Workers",
      "name: w",
      "patches:",
      "  - name: text",
      "    inline: |",
      "      machine:",
      "        nodeLabels:",
      "          a: b",
      "      ---",
      "      apiVersion: v1alpha1",
      "      kind: HostnameConfig",
      "  - name: list",
      "    inline:",
      "      - machine: {}",
      "      - apiVersion: v1alpha1",
      "        kind: ResolverConfig",
      "",
    ].join("\n");
    const template = templatesFrom({ "t.yaml": text }).templates[0]!;
    expect(talosMinorOf(template)).toBe("1.12");
    const [stringPatch, listPatch] = template.patches;
    expect(stringPatch!.inline!.form).toBe("text");
    expect(stringPatch!.inline!.docs.map((d) => [d.talosLine, d.locate([])])).toEqual([
      [1, { file: "t.yaml", line: 11, column: 7 }],
      [5, { file: "t.yaml", line: 15, column: 7 }],
    ]);
    expect(stringPatch!.inline!.docs[0]!.locate(["machine", "nodeLabels", "a"])).toEqual({ file: "t.yaml", line: 13, column: 11 });
    expect(listPatch!.inline!.docs.map((d) => [d.talosLine, d.locate(["kind"]).line])).toEqual([
      [1, 19],
      [3, 21],
    ]);
  });

  it("visits a patch file named by several templates once", () => {
    const kit = templatesFrom({
      "a.yaml": "kind: Cluster\nname: a\npatches:\n  - file: p.yaml\n",
      "b.yaml": "kind: Cluster\nname: b\npatches:\n  - file: p.yaml\n",
      "p.yaml": "machine:\n  kubelet: {}\n",
      "unused.yaml": "cluster:\n  proxy:\n    disabled: true\n",
    });
    expect(patchDocuments(kit).map((d) => [d.doc.locate([]).file, d.uses.length])).toEqual([
      ["p.yaml", 2],
      ["unused.yaml", 0],
    ]);
  });
});

describe("in-place YAML edits", () => {
  const file = parseYamlFile(
    "t.yaml",
    "# head\nmachine:\n    nodeLabels:\n        a: b # only\n    kubelet:\n        image: x\npatches:\n    - name: one\n      inline: {}\n    - name: two\n",
  );
  const tree = documentTree(file, 0);

  it("removes a key, and parents it empties, leaving the rest byte-identical", () => {
    const removal = removeKeys(tree, [["machine", "nodeLabels", "a"]]);
    expect("edits" in removal && applyTextEdits(file.text, removal.edits)).toBe("# head\nmachine:\n    kubelet:\n        image: x\npatches:\n    - name: one\n      inline: {}\n    - name: two\n");
    expect(removeKeys(tree, [["machine", "nodeLabels", "a"], ["machine", "kubelet"], ["patches"]])).toEqual({ edits: [], emptiedRoot: true });
  });

  it("inserts keys in the mapping's indentation, removes and adds list items, replaces scalars", () => {
    const insert = insertKeys(tree, ["machine", "kubelet"], ["extraArgs: {}"]);
    expect("from" in insert && applyTextEdits(file.text, [insert])).toContain("        image: x\n        extraArgs: {}\n");
    const items = nodeAt(file.docs[0]!.contents, ["patches"]);
    const [one, two] = isSeq(items) ? (items.items as Node[]) : [];
    expect(applyTextEdits(file.text, [removeItem(tree, one!)])).toContain("patches:\n    - name: two\n");
    expect(applyTextEdits(file.text, [insertAfterItem(tree, two!, ["- name: three"])])).toMatch(/- name: two\n    - name: three\n$/);
    expect(applyTextEdits(file.text, [replaceScalar(tree, nodeAt(file.docs[0]!.contents, ["machine", "kubelet", "image"])!, "y")])).toContain("image: y\n");
    expect(indentOf(file.text)).toBe(4);
  });

  it("leaves flow collections to a person", () => {
    const flow = parseYamlFile("f.yaml", "machine: {nodeLabels: {a: b}, x: 1}\n");
    expect(removeKeys(documentTree(flow, 0), [["machine", "nodeLabels", "a"]])).toEqual({ needsReprint: true });
    expect(insertKeys(documentTree(flow, 0), ["machine"], ["y: 2"])).toEqual({ needsReprint: true });
  });
});

describe("template facts", () => {
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-templates-"));
  mkdirSync(join(dir, "clusters"));
  writeFileSync(join(dir, "clusters", "t.yaml"), "kind: Cluster\nname: a\npatches:\n  - file: labels.patch\n");
  writeFileSync(join(dir, "clusters", "labels.patch"), "machine:\n  nodeLabels:\n    a: b\n");
  // Kit paths as the CLI shows them: relative to the working directory.
  const context = (kitDir: string, transport: Transport = new OfflineTransport(), offline = true) =>
    new RunContext({
      options: { dir: kitDir, offline, omniVersion: "1.10.4", timeoutMs: 5000, concurrency: 2 },
      transport,
      signal: new AbortController().signal,
      loadKit: () => parseKit(kitDir, readKitFiles(kitDir).map((f) => ({ ...f, path: relative(process.cwd(), join(kitDir, f.path)) }))),
      proxmox: { ok: false, error: new SourceError("pve", "offline", "not asked") },
      now: new Date(),
    });

  it("reads referenced files the kit walk skips, and loads the Talos schemas only when there are patches", async () => {
    const ctx = context(dir);
    const { templates } = await ctx.fact(clusterTemplates);
    expect(templates[0]!.patches[0]!.file!.fromTemplate.content?.docs[0]!.value).toEqual({ machine: { nodeLabels: { a: "b" } } });
    expect((await ctx.fact(talosSchemas)).forMinor("1.12").minor).toBe("1.12");
    const empty = mkdtempSync(join(tmpdir(), "omni-doctor-templates-"));
    writeFileSync(join(empty, "t.yaml"), "kind: Cluster\nname: a\n");
    await expect(context(empty).fact(talosSchemas).then((s) => s.forMinor("1.12"))).rejects.toThrow(/schema is missing/);
  });

  it("asks Omni for its MachineClasses with one omnictl call", async () => {
    const lab = { now: "2026-11-20T10:00:00Z", omni: { resources: [{ type: "MachineClasses.omni.sidero.dev", id: "proxmox-worker", spec: { autoprovision: { providerid: "proxmox" } } }] } } satisfies Lab;
    const fakes = await installFakeTools(lab);
    const classes = await context(dir, new LiveTransport({ probeTimeoutMs: 1000, env: fakes.env }), false).fact(machineClasses);
    expect(classes.map((c) => c.metadata.id)).toEqual(["proxmox-worker"]);
    expect(fakes.calls().map((c) => c.argv)).toEqual([["get", "MachineClasses.omni.sidero.dev", "--output", "json"]]);
  });
});
