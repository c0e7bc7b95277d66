/** Talos resource specs as `talosctl get -o json` prints them (camelCase yaml tags, enums as strings). */
import { z } from "zod";
import { looseString } from "../exec-output.ts";

export const addressStatusSpec = z.looseObject({
  address: z.string(),
  linkName: looseString.optional(),
  family: looseString.optional(),
  scope: looseString.optional(),
  flags: looseString.optional(),
});

export const machineStatusSpec = z.looseObject({
  /** `running`, `booting`, `maintenance`, `shutting down`, ... */
  stage: looseString.optional(),
  status: z
    .looseObject({
      ready: z.boolean().nullish(),
      unmetConditions: z
        .array(z.looseObject({ name: looseString, reason: looseString.optional() }))
        .nullish()
        .transform((c) => c ?? []),
    })
    .nullish(),
});

export const volumeStatusSpec = z.looseObject({
  /** `waiting`, `missing`, `located`, `ready`, `failed`, ... */
  phase: looseString.optional(),
  location: looseString.optional(),
  errorMessage: looseString.optional(),
});

export const kubeSpanPeerStatusSpec = z.looseObject({
  label: looseString.optional(),
  endpoint: looseString.optional(),
  /** `up`, `down` or `unknown`. */
  state: looseString.optional(),
  lastHandshakeTime: looseString.optional(),
});

export const etcdMemberSpec = z.looseObject({ memberID: looseString.optional() });

/** `Versions.runtime.talos.dev` (Talos ≥ 1.10): the version the node runs, `v1.12.4`. */
export const versionSpec = z.looseObject({ version: looseString.optional() });

/** One row of `talosctl service` (all services of all nodes). */
export interface ServiceRow {
  node: string;
  service: string;
  /** `Running`, `Failed`, `Waiting`, `Finished`, ... */
  state: string;
  /** `OK`, `Fail` or `?` (no health check). */
  health: string;
  lastEvent: string;
}

const SERVICE_COLUMNS = ["NODE", "SERVICE", "STATE", "HEALTH", "LAST CHANGE", "LAST EVENT"];

/**
 * Parse `talosctl service`: a tabwriter table (padding 3, so cells are at least three spaces
 * apart; cells themselves hold single spaces, like `3m12s ago`). The last column is the rest of
 * the line. ≥1.14 may flush the table in several separately aligned blocks, so rows are split on
 * their own gaps rather than on the header's offsets.
 */
export function parseServiceList(stdout: string): ServiceRow[] {
  const rows: ServiceRow[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.trim() || /^NODE\s+SERVICE\s+STATE/.test(line)) continue;
    const cells = splitCells(line, SERVICE_COLUMNS.length);
    if (cells.length < SERVICE_COLUMNS.length - 1) continue;
    const [node = "", service = "", state = "", health = "", , lastEvent = ""] = cells;
    rows.push({ node, service, state, health, lastEvent });
  }
  return rows;
}

function splitCells(line: string, columns: number): string[] {
  const cells: string[] = [];
  let rest = line.trimEnd();
  while (cells.length < columns - 1) {
    const gap = /\s{3,}/.exec(rest);
    if (!gap) break;
    cells.push(rest.slice(0, gap.index));
    rest = rest.slice(gap.index + gap[0].length);
  }
  cells.push(rest);
  return cells;
}
