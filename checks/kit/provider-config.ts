import { isMap, type Document } from "yaml";
import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import type { FixStep, Severity } from "../../src/model/result.ts";
import { kit } from "../../src/sources/kit/facts.ts";
import { filesOfKind, type KitYamlFile } from "../../src/sources/kit/kit.ts";
import { nearestName } from "../../src/sources/kit/providerdata.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";
import { replacePlainScalar } from "../../src/sources/kit/yaml-edit.ts";
import { docValue, isRecord, keyNodeAt, locationOf, nodeAt } from "../../src/sources/kit/yaml-file.ts";

const KEYS = ["url", "username", "password", "realm", "tokenID", "tokenSecret", "insecureSkipVerify"];
const TOKEN_ID = /^[^@!\s]+@[^@!\s]+![^@!\s]+$/;

/** `https://pve:8006/api2/json` from what people write (`https://pve:8006`, `.../api2/json/`). */
function fixedUrl(url: URL): string {
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path.endsWith("/api2/json") ? path : `${path.replace(/\/api2$/, "")}/api2/json`}`;
}

function checkConfig(file: KitYamlFile, doc: Document.Parsed, proxmox: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const at = (key: string) => locationOf(file, keyNodeAt(doc.contents, ["proxmox", key]) ?? keyNodeAt(doc.contents, ["proxmox"]), doc);
  const add = (aspect: string, severity: Severity, message: string, key: string, steps: FixStep[], summary: string) => {
    // An example is a template for the real file: what is wrong in it is copied, but it is not what runs.
    const effective: Severity = file.example && severity === "error" ? "warning" : severity;
    findings.push({ subject: `${file.path}: ${aspect}`, severity: effective, message: `${message}${file.example ? " (in an example: the config.yaml made from it inherits this)" : ""}`, location: at(key), fix: { summary, steps } });
  };
  const manual = (description: string): FixStep[] => [{ kind: "manual", description, destructive: false }];

  const rawUrl = proxmox.url;
  if (typeof rawUrl !== "string" || rawUrl === "") {
    add("url", "error", "proxmox.url is missing: the provider does not know where the Proxmox API is", "url", manual("set proxmox.url: https://<node>:8006/api2/json"), "Set proxmox.url");
  } else {
    let url: URL | undefined;
    try {
      url = new URL(rawUrl);
    } catch {
      add("url", "error", `proxmox.url ${rawUrl} is not a URL`, "url", manual("set proxmox.url: https://<node>:8006/api2/json"), "Set proxmox.url");
    }
    if (url && url.protocol !== "https:") {
      add("url", "error", `proxmox.url ${rawUrl} is not https: the Proxmox API is served over HTTPS only (port 8006)`, "url", manual(`use https://${url.host}/api2/json`), "Use https");
    } else if (url && url.pathname.replace(/\/+$/, "") !== "/api2/json") {
      const fixed = fixedUrl(url);
      const edit = editStep(file, `set proxmox.url to ${fixed}`, replacePlainScalar(file, nodeAt(doc.contents, ["proxmox", "url"]), fixed));
      add("url", "error", `proxmox.url ${rawUrl} does not end in /api2/json: the provider's client appends /nodes, /cluster... to it, so every call misses the API`, "url", edit ? [edit] : manual(`set proxmox.url: ${fixed}`), `Use ${fixed}`);
    }
  }

  const has = (key: string) => typeof proxmox[key] === "string" && proxmox[key] !== "";
  const token = has("tokenID") && has("tokenSecret");
  const password = has("username") && has("password");
  if (has("tokenID") && !TOKEN_ID.test(String(proxmox.tokenID))) {
    add("tokenID", "error", `proxmox.tokenID ${JSON.stringify(proxmox.tokenID)} is not of the form user@realm!tokenname`, "tokenID", manual("copy the token ID exactly as Proxmox shows it, e.g. omni@pve!provider"), "Use user@realm!tokenname");
  }
  if (!token && !password) {
    const partial = ["tokenID", "tokenSecret", "username", "password"].filter(has);
    add(
      "auth",
      "error",
      partial.length > 0
        ? `only ${partial.join(" and ")} is set: the provider uses a token only with both tokenID and tokenSecret, and a password only with both username and password, so it runs without credentials and Proxmox refuses every call`
        : "no credentials: neither tokenID and tokenSecret nor username and password are set, so Proxmox refuses every call (not authorized to access endpoint)",
      partial[0] ?? "url",
      manual("create an API token (Datacenter → Permissions → API Tokens) and set proxmox.tokenID and proxmox.tokenSecret"),
      "Set tokenID and tokenSecret",
    );
  } else if (password) {
    add(
      "auth",
      "warning",
      `password login${token ? " (which wins over the token that is also set)" : ""}: Proxmox sessions expire after 2 hours and the provider does not log in again, so it starts failing with "not authorized to access endpoint" until restarted`,
      "username",
      manual("use an API token instead: set tokenID and tokenSecret and remove username and password"),
      "Use an API token",
    );
  }
  if (proxmox.insecureSkipVerify === true) {
    add("tls", "info", "insecureSkipVerify: true turns off TLS verification of the Proxmox API: anyone between the provider and Proxmox can read the credentials", "insecureSkipVerify", manual("give Proxmox a certificate the provider trusts (e.g. ACME in Datacenter → ACME) and remove insecureSkipVerify"), "Verify the Proxmox certificate");
  }
  for (const key of Object.keys(proxmox).filter((k) => !KEYS.includes(k))) {
    const meant = nearestName(key, KEYS);
    add(key, "warning", `proxmox.${key} is not a setting of the provider${meant ? ` (did you mean ${meant}?)` : ""}; it is ignored`, key, manual(meant ? `rename it to ${meant}` : `remove it; the settings are ${KEYS.join(", ")}`), meant ? `Rename it to ${meant}` : "Remove it");
  }
  return findings;
}

export default defineCheck({
  meta: {
    id: "kit/provider-config",
    title: "Proxmox provider config.yaml is wrong or risky",
    severity: "error",
    sources: ["files"],
    symptoms: ["not authorized to access endpoint", 'failed to read Proxmox config file "<path>"', "401 Unauthorized"],
    fixable: ["edit", "manual"],
  },
  facts: { kit },
  run({ kit }) {
    const files = filesOfKind(kit, "provider-config");
    if (files.length === 0) return [skip("no provider config.yaml in the kit")];
    const findings: Finding[] = [];
    for (const file of files) {
      for (const doc of file.docs) {
        const value = docValue(doc);
        if (isRecord(value) && isRecord(value.proxmox) && isMap(nodeAt(doc.contents, ["proxmox"]))) findings.push(...checkConfig(file, doc, value.proxmox));
      }
    }
    return findings.length > 0 ? findings : [pass(`${files.length} provider config file(s) use an API token over verified HTTPS`)];
  },
});
