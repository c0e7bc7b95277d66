/** Kit files as users write them, for tests and the benchmark: one builder per kind of file. */

export interface MachineClassOptions {
  /** The provider's data, as YAML lines (indented into the block scalar here). */
  providerdata?: string;
  /** `spec.autoprovision.providerid`; may carry a trailing comment. */
  providerid?: string;
  /** Write `matchlabels: []` beside autoprovision, as Omni's own exports do. */
  emptyMatchLabels?: boolean;
  /** A comment line above the document. */
  comment?: string;
}

/** A Proxmox auto-provisioning MachineClass document in omnictl's apply format. */
export function machineClassYaml(id: string, options: MachineClassOptions = {}): string {
  const lines = [
    ...(options.comment !== undefined ? [`# ${options.comment}`] : []),
    "metadata:",
    "  namespace: default",
    "  type: MachineClasses.omni.sidero.dev",
    `  id: ${id}`,
    "spec:",
    ...(options.emptyMatchLabels ? ["  matchlabels: []"] : []),
    "  autoprovision:",
    `    providerid: ${options.providerid ?? "proxmox"}`,
  ];
  if (options.providerdata !== undefined) {
    lines.push("    providerdata: |", ...options.providerdata.trim().split("\n").map((line) => `      ${line}`));
  }
  return `${lines.join("\n")}\n`;
}
