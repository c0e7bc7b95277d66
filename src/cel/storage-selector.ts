/**
 * The Proxmox provider's `storage_selector`: a CEL expression over four variables (`name`,
 * `node`, `storageType` strings and `availableSpace` uint), evaluated per storage of a node, first
 * match wins (reference/proxmox.md §3.4). The provider compiles it with cel-go's type checker;
 * @bufbuild/cel parses and evaluates but does not type-check calls, so the few rules that matter
 * here (declared identifiers, no int/uint mixing, a bool result) are checked below, and every
 * problem comes with plain words and, where it is clear, the fixed expression.
 */
import { celEnv, celUint, CelScalar, isCelError, parse, plan } from "@bufbuild/cel";

type ParsedExpr = ReturnType<typeof parse>;
type Expr = NonNullable<ParsedExpr["expr"]>;

export const SELECTOR_VARIABLES = { name: "string", node: "string", storageType: "string", availableSpace: "uint" } as const;

const env = celEnv({ variables: { name: CelScalar.STRING, node: CelScalar.STRING, storageType: CelScalar.STRING, availableSpace: CelScalar.UINT } });

export type SelectorProblemKind = "empty" | "syntax" | "undeclared" | "overload" | "not-bool" | "legacy";

export interface SelectorProblem {
  kind: SelectorProblemKind;
  /** Plain words: what is wrong and why. */
  message: string;
  /** The error as CEL (cel-go) would word it, for evidence. */
  celError: string;
  /** 0-based offset in the expression, when known. */
  offset?: number;
  /** The expression with the problem fixed, when the fix is unambiguous. */
  fixed?: string;
}

export interface StorageCandidate {
  name: string;
  node: string;
  storageType: string;
  /** Bytes. */
  availableSpace: bigint;
}

type CelTypeName = "string" | "int" | "uint" | "double" | "bool" | "null" | "bytes" | "list" | "map" | "type" | "dyn";

export type CompiledSelector = { ok: true; expression: string; matches(storage: StorageCandidate): boolean | Error } | { ok: false; expression: string; problem: SelectorProblem };

class CheckError extends Error {
  readonly problem: SelectorProblem;
  constructor(problem: SelectorProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

const COMPARISONS = new Set(["_<_", "_<=_", "_>_", "_>=_"]);
const ARITHMETIC = new Set(["_+_", "_-_", "_*_", "_/_", "_%_"]);
const STRING_METHODS: Record<string, CelTypeName> = { startsWith: "bool", endsWith: "bool", contains: "bool", matches: "bool", size: "int", lowerAscii: "string", upperAscii: "string" };
const CONVERSIONS: Record<string, CelTypeName> = { int: "int", uint: "uint", double: "double", string: "string", bool: "bool" };
const OPERATOR_NAMES: Record<string, string> = { "_==_": "==", "_!=_": "!=", "_<_": "<", "_<=_": "<=", "_>_": ">", "_>=_": ">=", "_+_": "+", "_-_": "-", "_*_": "*", "_/_": "/", "_%_": "%" };

/** Parse, type-check and plan a selector the way the provider's compile step would accept or refuse it. */
export function compileSelector(expression: string): CompiledSelector {
  if (expression.trim() === "") {
    return {
      ok: false,
      expression,
      problem: {
        kind: "empty",
        message: "the selector is empty, so the provider cannot pick a disk storage",
        celError: "ERROR: <input>:1:0: Syntax error: mismatched input '<EOF>'",
        fixed: 'name == "local-lvm"',
      },
    };
  }
  let parsed: ParsedExpr;
  try {
    parsed = parse(expression);
  } catch (error) {
    const message = (error as Error).message;
    const column = /<input>:\d+:(\d+)/.exec(message)?.[1];
    const problem: SelectorProblem = { kind: "syntax", message: `the selector is not valid CEL: ${message.replace(/^<input>:\d+:\d+: /, "")}`, celError: `ERROR: ${message}` };
    if (column) problem.offset = Number(column) - 1;
    return { ok: false, expression, problem };
  }
  try {
    const type = typeOf(parsed.expr!, parsed, expression);
    if (type !== "bool" && type !== "dyn") {
      throw new CheckError({
        kind: "not-bool",
        message: `the selector evaluates to a ${type}, but the provider needs true or false for each storage`,
        celError: `expected type 'bool' but found '${type}'`,
        ...(type === "string" && parsed.expr?.exprKind.case === "identExpr" ? { fixed: `${expression.trim()} == "local-lvm"` } : {}),
      });
    }
  } catch (error) {
    if (error instanceof CheckError) return { ok: false, expression, problem: error.problem };
    throw error;
  }
  const program = plan(env, parsed);
  return {
    ok: true,
    expression,
    matches(storage) {
      const result = program({ name: storage.name, node: storage.node, storageType: storage.storageType, availableSpace: celUint(storage.availableSpace) });
      if (isCelError(result)) return new Error(result.message);
      return result === true;
    },
  };
}

function offsetOf(expr: Expr, parsed: ParsedExpr): number | undefined {
  return parsed.sourceInfo?.positions[String(expr.id)];
}

function typeOf(expr: Expr, parsed: ParsedExpr, source: string): CelTypeName {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "constExpr": {
      const c = kind.value.constantKind.case;
      return c === "stringValue" ? "string" : c === "int64Value" ? "int" : c === "uint64Value" ? "uint" : c === "doubleValue" ? "double" : c === "boolValue" ? "bool" : c === "bytesValue" ? "bytes" : "null";
    }
    case "identExpr":
      return identType(kind.value.name, offsetOf(expr, parsed), source);
    case "selectExpr": {
      // `storage.name`, `s.type`: the receiver is not a variable of this environment.
      typeOf(kind.value.operand!, parsed, source);
      return "dyn";
    }
    case "listExpr":
      kind.value.elements.forEach((e) => typeOf(e, parsed, source));
      return "list";
    case "callExpr":
      return callType(expr, kind.value, parsed, source);
    case "comprehensionExpr":
      typeOf(kind.value.iterRange!, parsed, source);
      return "dyn";
    default:
      return "dyn";
  }
}

function identType(name: string, offset: number | undefined, source: string): CelTypeName {
  const declared = SELECTOR_VARIABLES[name as keyof typeof SELECTOR_VARIABLES];
  if (declared) return declared;
  const at = offset ?? source.indexOf(name);
  if (name === "type") {
    throw new CheckError({
      kind: "undeclared",
      message: "`type` is not a selector variable (in CEL it names the type-of operator); the storage type variable is `storageType`",
      celError: "undeclared reference to 'type' (in container '')",
      offset: at,
      fixed: replaceAt(source, at, name, "storageType"),
    });
  }
  if (name === "storage" || name === "s") {
    throw new CheckError({
      kind: "legacy",
      message: "this is the old `storage.filter(...)` form; the provider now evaluates the selector once per storage with the variables name, node, storageType and availableSpace",
      celError: `undeclared reference to '${name}' (in container '')`,
      offset: at,
      fixed: legacyFix(source),
    });
  }
  throw new CheckError({
    kind: "undeclared",
    message: `\`${name}\` is not a selector variable; only name, node, storageType and availableSpace exist`,
    celError: `undeclared reference to '${name}' (in container '')`,
    offset: at,
  });
}

function callType(expr: Expr, call: Extract<Expr["exprKind"], { case: "callExpr" }>["value"], parsed: ParsedExpr, source: string): CelTypeName {
  const fn = call.function;
  const args = call.args.map((a) => typeOf(a, parsed, source));
  const target = call.target ? typeOf(call.target, parsed, source) : undefined;
  const noOverload = (types: CelTypeName[]) =>
    new CheckError({
      kind: "overload",
      message: overloadMessage(fn, types),
      celError: `found no matching overload for '${fn}' applied to '(${types.join(", ")})'`,
      ...(offsetOf(expr, parsed) !== undefined ? { offset: operatorOffset(source, offsetOf(expr, parsed)!) } : {}),
      ...uintFix(call, args, parsed, source),
    });
  if (fn === "_&&_" || fn === "_||_") {
    if (args.some((t) => t !== "bool" && t !== "dyn")) throw noOverload(args);
    return "bool";
  }
  if (fn === "!_") {
    if (args[0] !== "bool" && args[0] !== "dyn") throw noOverload(args);
    return "bool";
  }
  if (fn === "_==_" || fn === "_!=_") {
    if (!compatible(args[0]!, args[1]!)) throw noOverload(args);
    return "bool";
  }
  if (COMPARISONS.has(fn)) {
    if (!compatible(args[0]!, args[1]!) || ["bool", "null", "list", "map"].includes(args[0]!)) throw noOverload(args);
    return "bool";
  }
  if (ARITHMETIC.has(fn)) {
    if (!compatible(args[0]!, args[1]!)) throw noOverload(args);
    return args[0] === "dyn" ? args[1]! : args[0]!;
  }
  if (fn === "-_") return args[0]!;
  if (fn === "_?_:_") return args[1] === "dyn" ? args[2]! : args[1]!;
  if (fn === "@in") return "bool";
  if (fn === "size") return "int";
  if (fn in CONVERSIONS && !call.target) return CONVERSIONS[fn]!;
  if (target !== undefined && fn in STRING_METHODS) {
    if (target !== "string" && target !== "dyn") throw noOverload([target, ...args]);
    return STRING_METHODS[fn]!;
  }
  if (target === "dyn" || target === "list") return "dyn";
  throw new CheckError({
    kind: "undeclared",
    message: `\`${fn}\` is not a function this selector can use`,
    celError: `undeclared reference to '${fn}' (in container '')`,
    ...(offsetOf(expr, parsed) !== undefined ? { offset: offsetOf(expr, parsed)! } : {}),
  });
}

/** The parser places a binary operator where its left operand ends; point at the operator itself. */
function operatorOffset(source: string, offset: number): number {
  return offset + (/^\s*/.exec(source.slice(offset))?.[0].length ?? 0);
}

function compatible(a: CelTypeName, b: CelTypeName): boolean {
  return a === b || a === "dyn" || b === "dyn" || a === "null" || b === "null";
}

function overloadMessage(fn: string, types: CelTypeName[]): string {
  const op = OPERATOR_NAMES[fn] ?? fn;
  if (types.includes("uint") && types.includes("int")) {
    return `availableSpace is an unsigned integer (uint) and CEL does not compare it with a signed number: write the number with a u suffix (e.g. 100u)`;
  }
  return `${op} cannot be applied to ${types.join(" and ")}`;
}

/** For `availableSpace > 100`: the same expression with `100u`. */
function uintFix(call: Extract<Expr["exprKind"], { case: "callExpr" }>["value"], types: CelTypeName[], parsed: ParsedExpr, source: string): { fixed?: string } {
  if (!(types.includes("uint") && types.includes("int"))) return {};
  const literal = call.args.find((a, i) => types[i] === "int" && a.exprKind.case === "constExpr");
  const offset = literal ? offsetOf(literal, parsed) : undefined;
  if (offset === undefined) return {};
  const digits = /^-?\d+/.exec(source.slice(offset))?.[0];
  return digits ? { fixed: `${source.slice(0, offset + digits.length)}u${source.slice(offset + digits.length)}` } : {};
}

function replaceAt(source: string, offset: number, from: string, to: string): string {
  return source.slice(0, offset) + to + source.slice(offset + from.length);
}

/** `storage.filter(s, s.type == "lvmthin" ...)` → `storageType == "lvmthin"` when the type is named; else the README's form. */
function legacyFix(source: string): string {
  const type = /\.type\s*==\s*"([^"]+)"/.exec(source)?.[1];
  return type ? `storageType == "${type}"` : 'name == "local-lvm"';
}

/** The provider's choice on one node: the first storage (in the order PVE listed them) the selector matches. */
export function firstMatch(selector: Extract<CompiledSelector, { ok: true }>, storages: StorageCandidate[]): { match?: StorageCandidate; all: StorageCandidate[]; errors: string[] } {
  const all: StorageCandidate[] = [];
  const errors: string[] = [];
  for (const storage of storages) {
    const result = selector.matches(storage);
    if (result instanceof Error) errors.push(`${storage.name}: ${result.message}`);
    else if (result) all.push(storage);
  }
  return all[0] ? { match: all[0], all, errors } : { all, errors };
}
