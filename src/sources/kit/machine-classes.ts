/**
 * Omni MachineClasses in the kit: COSI documents (`metadata.type: MachineClasses.omni.sidero.dev`)
 * for `omnictl apply -f`, with the Proxmox provider's `providerdata`, a YAML document inside a
 * string. The providerdata is parsed on its own and its positions are mapped back to the lines
 * of the kit file, so findings inside it point at the right line and column.
 */
import { isScalar, type Document, type Node, type Scalar } from "yaml";
import type { FixStep, Location } from "../../model/result.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { isMachineClassDoc } from "./kit.ts";
import { docValue, isRecord, keyNodeAt, locationOf, nodeAt, yamlSyntaxError, type YamlFile } from "./yaml-file.ts";
import { embeddedYaml } from "./embedded-yaml.ts";

export interface ProviderData {
  /** The embedded YAML, parsed as a file of its own. */
  inner: YamlFile;
  value: unknown;
  /** The first syntax error inside it, with a position in the kit file. */
  syntaxError?: { message: string; location: Location };
  /** Where a path inside the providerdata is, in the kit file. */
  locate(path: ReadonlyArray<string | number>): Location;
  /** Where the key of a path inside the providerdata is written (the setting's line). */
  locateKey(path: ReadonlyArray<string | number>): Location;
  /** The node at a path inside the providerdata. */
  node(path: ReadonlyArray<string | number>): Node | undefined;
}

export interface MachineClassDoc {
  file: KitYamlFile;
  doc: Document.Parsed;
  index: number;
  value: Record<string, unknown>;
  /** `metadata.id` (COSI form) or `metadata.name` (the kubectl-style form users wrongly write). */
  id: string | undefined;
  /** `cosi`: what omnictl applies; `kubectl`: apiVersion/kind form that omnictl rejects. */
  form: "cosi" | "kubectl";
  providerId: string | undefined;
  providerData: ProviderData | undefined;
  /** Where a path of the document is in the file (its value). */
  locate(path: ReadonlyArray<string | number>): Location;
  /** Where the key of a path is written, falling back to the nearest parent that exists. */
  locateKey(path: ReadonlyArray<string | number>): Location;
}

export function machineClassDocs(kit: Kit): MachineClassDoc[] {
  return kit.yaml
    .filter((f) => f.kind === "machine-class")
    .flatMap((file) =>
      file.docs.flatMap((doc, index) => {
        const value = docValue(doc);
        if (!isRecord(value) || !isMachineClassDoc(value)) return [];
        const metadata = isRecord(value.metadata) ? value.metadata : {};
        const spec = isRecord(value.spec) ? value.spec : {};
        const autoprovision = isRecord(spec.autoprovision) ? spec.autoprovision : {};
        const form = value.kind === "MachineClass" ? "kubectl" : "cosi";
        const id = typeof metadata.id === "string" ? metadata.id : typeof metadata.name === "string" ? metadata.name : undefined;
        const locate = (path: ReadonlyArray<string | number>) => locationOf(file, nodeAt(doc.contents, path) ?? nodeAt(doc.contents, path.slice(0, -1)), doc);
        const locateKey = (path: ReadonlyArray<string | number>) => {
          for (let n = path.length; n > 0; n--) {
            const key = keyNodeAt(doc.contents, path.slice(0, n));
            if (key) return locationOf(file, key, doc);
          }
          return locationOf(file, doc.contents, doc);
        };
        const dataNode = nodeAt(doc.contents, ["spec", "autoprovision", "providerdata"]);
        return [
          {
            file,
            doc,
            index,
            value,
            id,
            form,
            providerId: typeof autoprovision.providerid === "string" ? autoprovision.providerid : undefined,
            providerData: isScalar(dataNode) && typeof dataNode.value === "string" ? parseProviderData(file, dataNode as Scalar<string>) : undefined,
            locate,
            locateKey,
          } satisfies MachineClassDoc,
        ];
      }),
    );
}

/** The providerdata as a YAML file of its own, with positions in the kit file. */
function parseProviderData(file: YamlFile, scalar: Scalar<string>): ProviderData {
  const { inner, toFile } = embeddedYaml(file, scalar, "providerdata");
  const syntax = yamlSyntaxError(inner);
  const doc = inner.docs[0];
  const data: ProviderData = {
    inner,
    value: doc ? docValue(doc) : undefined,
    locate(path) {
      const node = doc ? (nodeAt(doc.contents, path) ?? nodeAt(doc.contents, path.slice(0, -1))) : undefined;
      return toFile((node as Node | undefined)?.range?.[0] ?? 0);
    },
    locateKey(path) {
      const key = doc ? (keyNodeAt(doc.contents, path) ?? nodeAt(doc.contents, path.slice(0, -1))) : undefined;
      return toFile((key as Node | undefined)?.range?.[0] ?? 0);
    },
    node: (path) => (doc ? nodeAt(doc.contents, path) : undefined),
  };
  if (syntax) {
    const offset = inner.docs.flatMap((d) => d.errors)[0]?.pos[0] ?? 0;
    data.syntaxError = { message: syntax.message, location: toFile(offset) };
  }
  return data;
}

export interface SelectorRef {
  /** Path inside the providerdata: `storage_selector` or `additional_disks.N.storage_selector`. */
  path: Array<string | number>;
  value: unknown;
}

/** Every storage selector of a providerdata: the boot disk's and each additional disk's. */
export function storageSelectors(data: unknown): SelectorRef[] {
  if (!isRecord(data)) return [];
  const refs: SelectorRef[] = [];
  if ("storage_selector" in data) refs.push({ path: ["storage_selector"], value: data.storage_selector });
  if (Array.isArray(data.additional_disks)) {
    data.additional_disks.forEach((disk, i) => {
      if (isRecord(disk) && "storage_selector" in disk) refs.push({ path: ["additional_disks", i, "storage_selector"], value: disk.storage_selector });
    });
  }
  return refs;
}

/** `additional_disks[0].storage_selector`: a path as people write it. */
export function pathText(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** How findings name a class: its id, else its file (a class without an id cannot be applied anyway). */
export function classSubject(mc: MachineClassDoc): string {
  return mc.id ?? `${mc.file.path} (document ${mc.index + 1})`;
}

/** The step that makes Omni see a corrected class file. */
export function applyClass(mc: MachineClassDoc): FixStep {
  return { kind: "command", description: "apply the corrected machine class", argv: ["omnictl", "apply", "-f", mc.file.path], destructive: false };
}
