/**
 * The body of the fake omnictl and talosctl executables. A tiny wrapper script on PATH imports
 * this module; it reads the lab from $FAKE_LAB, logs the call to $FAKE_LOG (one JSON line per
 * call), waits $FAKE_LATENCY_MS, and prints exactly what the real program would.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import type { Lab } from "./lab/model.ts";
import { omnictlAnswer } from "./lab/omni.ts";
import { talosctlAnswer } from "./lab/talos.ts";
import { omnictlMutation } from "./lab/mutations.ts";

export async function main(tool: "omnictl" | "talosctl"): Promise<void> {
  const argv = process.argv.slice(2);
  if (process.env.FAKE_LOG) appendFileSync(process.env.FAKE_LOG, `${JSON.stringify({ tool, argv, at: Date.now(), ...(process.env.BROWSER ? { browser: process.env.BROWSER } : {}) })}\n`);
  const lab = JSON.parse(readFileSync(process.env.FAKE_LAB!, "utf8")) as Lab;
  const latency = Number(process.env.FAKE_LATENCY_MS ?? 0);
  if (latency > 0) await new Promise((r) => setTimeout(r, latency));
  if ((tool === "omnictl" && lab.omni?.hang) || (tool === "talosctl" && lab.talos?.hang)) {
    setInterval(() => {}, 1 << 30); // never answers: the caller's timeout must kill us
    return;
  }
  if (tool === "omnictl" && lab.omni?.browserLogin) {
    // go-api-signature's re-login: announce it, then wait for a confirmation that never comes.
    const url = "https://omni.lab.example/authenticate?flow=cli&public-key-id=5f1e2d3c";
    process.stderr.write("Could not authenticate: rpc error: code = Unauthenticated desc = invalid signature\n");
    process.stderr.write(process.env.BROWSER === "echo" ? `Please visit this page to authenticate: ${url}\n` : `Attempting to open URL: ${url}\n`);
    setInterval(() => {}, 1 << 30);
    return;
  }
  const mutation = tool === "omnictl" ? omnictlMutation(lab, argv) : undefined;
  if (mutation) writeFileSync(process.env.FAKE_LAB!, JSON.stringify(mutation.lab));
  const answer = mutation?.answer ?? (tool === "omnictl" ? omnictlAnswer(lab, argv) : talosctlAnswer(lab, argv));
  process.stdout.write(answer.stdout);
  process.stderr.write(answer.stderr);
  process.exitCode = answer.exitCode;
}
