import { expect } from "vitest";
import check from "./auth.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { SourceError } from "../../src/sources/source-error.ts";

const version = (warnings: string[] = []) => ({ version: "1.10.4", instance: "omni-lab", warnings });

testCheck(check, {
  valid: [
    { name: "signed in, same release", facts: { version: version(), machines: [] }, message: "authenticated to Omni omni-lab 1.10.4" },
    { name: "other omnictl warnings are not a version mismatch", facts: { version: version(["[WARN] failed to parse backend version \"dev\""]) } },
  ],
  invalid: [
    {
      name: "expired user key: log in again (000)",
      facts: { version: new SourceError("omni", "auth", "rpc error: code = Unauthenticated desc = invalid signature", "your Omni login expired: run `omnictl get clusters` in a terminal") },
      results: [
        {
          status: "fail",
          subject: "omnictl",
          message: /refused omnictl's credentials: .*invalid signature/,
          fix: ["command"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            if (step.kind !== "command" || step.argv.join(" ") !== "omnictl get clusters") throw new Error(JSON.stringify(step));
          },
        },
      ],
    },
    {
      name: "browser login stopped",
      facts: { version: new SourceError("omni", "auth", "Could not authenticate: rpc error: code = Unauthenticated desc = invalid signature (omnictl wanted a browser login and was stopped)") },
      results: [{ status: "fail", message: /browser login and was stopped/, fix: ["command"] }],
    },
    {
      name: "a service account key refused",
      facts: { version: new SourceError("omni", "auth", "rpc error: code = Unauthenticated desc = invalid signature", "the service account key in OMNI_SERVICE_ACCOUNT_KEY was refused: create a new key") },
      results: [{ status: "fail", fix: ["manual"], satisfies: (r) => expect(r.fix!.summary).toMatch(/service account key/) }],
    },
    {
      name: "a role too low",
      facts: { version: new SourceError("omni", "auth", 'unauthorized: access denied: insufficient role: "None"') },
      results: [{ status: "fail", message: /insufficient role/, fix: ["manual"], satisfies: (r) => expect(r.fix!.summary).toMatch(/Reader role/) }],
    },
    {
      name: "signed in, but the account may not read clusters",
      facts: { version: version(), machines: new SourceError("omni", "auth", 'unauthorized: access denied: insufficient role: "None"') },
      results: [{ status: "fail", message: /refused omnictl's credentials: .*insufficient role/, fix: ["manual"] }],
    },
    {
      name: "endpoint unreachable",
      facts: { version: new SourceError("omni", "unreachable", 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 192.168.10.20:443: connect: connection refused"') },
      results: [{ status: "fail", message: /cannot be reached: .*connection refused/, fix: ["manual"] }],
    },
    {
      name: "API version mismatch",
      facts: { version: new SourceError("omni", "failed", "client API version mismatch: backend API version 1, client API version 2") },
      results: [{ status: "fail", message: /different API versions/ }],
    },
    {
      name: "omnictl one minor behind the backend",
      facts: { version: version(['[WARN] omnictl version "1.9.3" differs from the backend version "1.10.4".']) },
      results: [{ status: "warn", severity: "warning", message: /omnictl 1.9.3 is a different release than the Omni backend 1.10.4/, fix: ["manual"] }],
    },
  ],
  unavailable: [
    { name: "omnictl not installed", source: "omni", kind: "not-installed", status: "skip" },
    { name: "Omni slower than --timeout", source: "omni", kind: "timeout", status: "error" },
  ],
});

