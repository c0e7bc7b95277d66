/**
 * Regenerates fixtures/demo-lab/recording from scripts/demo-lab.ts: a real `check --record` run
 * whose transport answers from the lab in-process (so the recording holds realistic addresses).
 * Run it after adding a check whose queries the recording lacks:  node scripts/make-demo.ts
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { executeRun, prepareRun } from "../src/commands/run.ts";
import { LabTransport } from "../test/harness/lab-transport.ts";
import { demoLab } from "./demo-lab.ts";

const kit = fileURLToPath(new URL("../fixtures/demo-lab/", import.meta.url));
const recording = fileURLToPath(new URL("../fixtures/demo-lab/recording/", import.meta.url));
rmSync(recording, { recursive: true, force: true });
process.env.PROXMOX_URL = "https://pve.lab.example:8006/api2/json";
process.env.PROXMOX_TOKEN_ID = "omni@pve!doctor";
process.env.PROXMOX_TOKEN_SECRET = "00000000-0000-4000-8000-00000000d0c7";
const prepared = await prepareRun(
  kit,
  { format: "human", failOn: "error", timeout: "20", concurrency: "8", record: recording, cluster: undefined },
  new AbortController().signal,
  { transport: new LabTransport(demoLab), now: new Date(demoLab.now) },
);
const outcome = await executeRun(prepared);
const counts = outcome.results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
console.log(`recorded ${prepared.ctx.runner.distinctQueries} answers to ${recording}:`, counts);
