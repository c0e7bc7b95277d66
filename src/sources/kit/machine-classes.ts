/**
 * Omni MachineClasses in the kit: COSI documents (`metadata.type: MachineClasses.omni.sidero.dev`)
 * for `omnictl apply -f`, with the Proxmox provider's `providerdata`, a YAML document inside a
 * string. The providerdata is parsed on its own and its positions are mapped back to the lines
 * of the kit file, so findings inside it point at the right line and column.
 */
import { isScalar, type Document, type Node, type Scalar } from "yaml";
import type { Location } from "../../model/result.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { isMachineClassDoc } from "./kit.ts";
import { docValue, isRecord, locationOf, nodeAt, yamlSyntaxError, type YamlFile } from "./yaml-file.ts";
import { embeddedYaml } from "./embedded-yaml.ts";

export interface ProviderData {
  /** The embedded YAML, parsed as a file of its own. */
  inner: YamlFile;
  value: unknown;
  /** The first syntax error inside it, with a position in the kit file. */
  syntaxError?: { message: string; location: Location };
  /** Where a path inside the providerdata is, in the kit file. */
  locate(path: ReadonlyArray<string | number>): Location;
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
  /** Where a path of the document is in the file. */
  locate(path: ReadonlyArray<string | number>): Location;
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
  };
  if (syntax) {
    const offset = inner.docs.flatMap((d) => d.errors)[0]?.pos[0] ?? 0;
    data.syntaxError = { message: syntax.message, location: toFile(offset) };
  }
  return data;
}
