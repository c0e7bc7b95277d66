import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment, kit } from "../../src/sources/kit/facts.ts";
import { composeVariables, exampleTarget, serviceList, type ComposeProject, type EnvBinding, type VarRef } from "../../src/sources/kit/compose.ts";
import { fromExample, type ServiceSettings } from "../../src/sources/kit/deployment.ts";
import type { EnvFile } from "../../src/sources/kit/env-file.ts";
import { nearestName } from "../../src/sources/kit/providerdata.ts";
import { isSecretName } from "../../src/sources/kit/secrets.ts";
import { editStep, offsetAt, splice } from "../../src/sources/kit/text-edit.ts";

/** Places where an empty value breaks the service (an image, a mount, an argument) rather than just leaving a variable empty. */
const REQUIRED_PLACES = new Set(["image", "volumes", "command", "entrypoint", "ports", "devices", "env_file"]);

function envFileFindings(env: EnvFile): Finding[] {
  return env.problems.map((problem) => ({
    subject: `${env.path}:${problem.location.line}`,
    // An example is not read by Compose; what is wrong in it is copied into the real file.
    ...(problem.kind === "duplicate" || env.example ? { severity: "warning" as const } : {}),
    message: `${problem.message}${env.example ? " (in an example: the file made from it inherits this)" : ""}`,
    location: problem.location,
    fix: { summary: problem.kind === "duplicate" ? "Keep one definition" : "Correct the line", steps: [{ kind: "manual", description: `edit ${env.path} line ${problem.location.line}`, destructive: false }] },
  }));
}

/** A defined name that looks like the same setting under an older or newer name (`SIDEROLINK_API_BIND_ADDR` for `MACHINE_API_BIND_ADDR`). */
function renamed(name: string, unused: string[]): string | undefined {
  const tail = (n: string) => n.split("_").slice(-3).join("_");
  const candidates = name.split("_").length > 3 ? unused.filter((u) => u.split("_").length > 3 && tail(u) === tail(name)) : [];
  return candidates.length === 1 ? candidates[0] : undefined;
}

function undefinedVariables(project: ComposeProject, refs: VarRef[]): Finding[] {
  const defined = new Map<string, EnvFile>();
  for (const env of [...project.env.interpolation, ...project.env.containerOnly]) for (const entry of env.entries) defined.set(entry.key, env);
  if (defined.size === 0) return []; // No env file at all: the values come from the shell, which a file check cannot see.
  const findings: Finding[] = [];
  const referenced = new Set(refs.map((r) => r.name));
  const reported = new Set<string>();
  for (const ref of refs) {
    if (ref.modifier && !ref.modifier.includes("?")) continue;
    if (defined.has(ref.name) || reported.has(ref.name)) continue;
    reported.add(ref.name);
    const typo = nearestName(ref.name, defined.keys());
    const meant = typo ?? renamed(ref.name, [...defined.keys()].filter((name) => !referenced.has(name)));
    const place = String(ref.path[2] ?? ref.path[0] ?? "");
    const required = ref.modifier?.includes("?") || (ref.path[0] === "services" && REQUIRED_PLACES.has(place));
    // Credentials are often exported from a secret manager instead of being written to the env file.
    if (!required && isSecretName(ref.name)) continue;
    const at = offsetAt(project.file.text, ref.location);
    // A one-letter typo is fixed where it is read; a renamed setting needs a person to pick the name.
    const edit = typo && project.file.text.startsWith(ref.text, at) ? editStep(project.file, `read ${typo} instead of ${ref.name}`, splice(project.file.text, at, ref.text.length, ref.text.replace(ref.name, typo))) : undefined;
    findings.push({
      subject: `${project.file.path}: ${ref.name}`,
      ...(required ? {} : { severity: "warning" as const }),
      message: `${ref.text} is not defined in ${[...new Set(defined.values())].map((e) => e.path).join(" or ")}${meant ? `, which defines ${meant} instead` : ""}; Compose substitutes an empty string${required ? ` in ${place}` : ""}`,
      location: ref.location,
      evidence: [`The "${ref.name}" variable is not set. Defaulting to a blank string.`],
      fix: {
        summary: meant ? `Use one name: ${meant}` : `Define ${ref.name} in ${project.env.interpolation[0]?.path ?? ".env"}`,
        steps: [edit ?? { kind: "manual", description: `add ${ref.name}=<value> to the env file Compose reads for ${project.file.path}`, destructive: false }],
      },
    });
    const definedIn = meant ? defined.get(meant) : undefined;
    const entry = definedIn?.entries.find((e) => e.key === meant);
    if (definedIn && entry && !referenced.has(meant!)) {
      findings.push({
        subject: `${definedIn.path}: ${meant}`,
        severity: "warning",
        message: `${meant} is defined but ${project.file.path} never reads it; it reads ${ref.name}`,
        location: entry.location,
        fix: { summary: `Use one name: ${ref.name} or ${meant}`, steps: [{ kind: "manual", description: `rename ${meant} to ${ref.name} in ${definedIn.path}, or the reference in ${project.file.path}`, destructive: false }] },
      });
    }
  }
  return findings;
}

/** `${VAR}`s whose only definition is in a file Compose gives the containers (`env_file:`), not to its own interpolation. */
function containerOnlyDefinitions(project: ComposeProject, refs: VarRef[]): Finding[] {
  const byFile = new Map<EnvFile, string[]>();
  for (const ref of refs) {
    if (ref.modifier && !ref.modifier.includes("?")) continue;
    if (project.env.interpolation.some((e) => e.entries.some((x) => x.key === ref.name))) continue;
    const file = project.env.containerOnly.find((e) => e.entries.some((x) => x.key === ref.name));
    if (file && !byFile.get(file)?.includes(ref.name)) byFile.set(file, [...(byFile.get(file) ?? []), ref.name]);
  }
  return [...byFile].map(([file, names]) => {
    const target = exampleTarget(file.path.slice(file.path.lastIndexOf("/") + 1));
    const user = project.services.find((s) => serviceList(s, "env_file").some((e) => e.value.endsWith(target)));
    return {
      subject: `${project.file.path}: ${target}`,
      severity: "warning" as const,
      message: `${names.length} variable(s) used in ${project.file.path} (${names.slice(0, 6).join(", ")}${names.length > 6 ? ", ..." : ""}) are defined only in ${target}, which env_file gives to the containers; Compose fills \${VAR} from .env or --env-file files, so unless you run docker compose --env-file ${target} they come out empty`,
      location: user ? user.locate(["env_file"]) : { file: project.file.path, line: 1, column: 1 },
      fix: {
        summary: `Run Compose with --env-file ${target} (or name the file .env)`,
        steps: [{ kind: "manual", description: `use docker compose --env-file ${target} up -d (every compose command needs it), or rename ${target} to .env beside ${project.file.path}`, destructive: false }],
      },
    };
  });
}

/** Arguments that are neither flags nor flag values: a value with blanks split by a string command, or a stray word. */
function strayArguments(owner: ServiceSettings): Finding[] {
  const findings: Finding[] = [];
  const bySource = new Map<string, typeof owner.strays>();
  for (const stray of owner.strays) {
    const binding = stray.splitFrom;
    // A value whose quoting is already reported as broken in its env file is reported there.
    if (binding && binding.file.problems.some((p) => p.location.line === binding.entry.location.line)) continue;
    const key = binding ? `$${binding.name}` : stray.value;
    bySource.set(key, [...(bySource.get(key) ?? []), stray]);
  }
  for (const [key, strays] of bySource) {
    const binding: EnvBinding | undefined = strays[0]!.splitFrom;
    const token = strays[0]!.token;
    const setting = owner.settings.find((s) => s.arg?.token === token);
    const ref = binding ? (new RegExp(`\\$\\{${binding.name}(?:[:?+-][^}]*)?\\}|\\$${binding.name}\\b`).exec(token.raw)?.[0] ?? "") : "";
    const at = token.offset !== undefined && ref ? token.offset + token.raw.indexOf(ref) : undefined;
    const quotable = binding && at !== undefined && !binding.value.includes('"') && token.node.type !== "QUOTE_DOUBLE" && token.node.type !== "QUOTE_SINGLE";
    const edit = quotable ? editStep(owner.service.file, `quote ${ref} so its value stays one argument`, splice(splice(owner.service.file.text, at! + ref.length, 0, '"'), at!, 0, '"')) : undefined;
    findings.push({
      subject: `${owner.service.file.path}: ${owner.service.name}: ${key}`,
      ...(binding?.file.example || (setting && fromExample(owner, setting)) ? { severity: "warning" as const } : {}),
      message: binding
        ? `${binding.name} is ${JSON.stringify(binding.value)}: in a string command Compose splits it at the blank, so ${owner.service.name} gets the stray argument(s) ${strays.map((s) => JSON.stringify(s.value)).join(" ")}`
        : `${JSON.stringify(key)} is neither a flag nor the value of one; ${owner.service.name} does not expect it`,
      location: token.location,
      evidence: [`${binding ? `${binding.file.path}:${binding.entry.location.line}: ${binding.name}=${binding.entry.value}` : token.raw}`],
      fix: {
        summary: binding ? `Quote it: "${ref}"` : `Remove ${key} or join it to its flag with =`,
        steps: [edit ?? { kind: "manual", description: binding ? `write "${ref}" in quotes in ${owner.service.file.path}, or use the list form of command:` : `correct the command of ${owner.service.name} in ${owner.service.file.path}`, destructive: false }],
      },
    });
  }
  // A list item is one argument, however many flags its variable holds.
  for (const arg of owner.args) {
    if (arg.token.form !== "list" || !/\s--?[A-Za-z]/.test(arg.value) || !arg.value.startsWith("-")) continue;
    findings.push({
      subject: `${owner.service.file.path}: ${owner.service.name}: ${arg.token.raw}`,
      message: `${arg.token.raw} holds several flags (${arg.value.slice(0, 60)}), but a list-form command passes each item as one argument`,
      location: arg.token.location,
      fix: { summary: "Give each flag its own list item, or use a string command", steps: [{ kind: "manual", description: `split ${arg.token.raw} into one item per flag in ${owner.service.file.path}`, destructive: false }] },
    });
  }
  return findings;
}

export default defineCheck({
  meta: {
    id: "kit/env-interpolation",
    title: "Compose variables and env files do not fit together",
    severity: "error",
    sources: ["files"],
    symptoms: ['The "<name>" variable is not set. Defaulting to a blank string.', "unterminated quoted value", "variable is not set"],
    fixable: ["edit", "manual"],
  },
  facts: { kit, deployment },
  run({ kit, deployment }) {
    if (deployment.projects.length === 0 && kit.env.length === 0) return [skip("no compose or env files in the kit")];
    const findings = kit.env.flatMap(envFileFindings);
    for (const project of deployment.projects) {
      const refs = composeVariables(project);
      findings.push(...undefinedVariables(project, refs), ...containerOnlyDefinitions(project, refs));
    }
    for (const owner of [...deployment.omni, ...deployment.providers]) findings.push(...strayArguments(owner));
    return findings.length > 0 ? findings : [pass(`${deployment.projects.length} compose file(s) and ${kit.env.length} env file(s) fit together`)];
  },
});
