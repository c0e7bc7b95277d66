/** Go's error and parser texts as Omni passes them on (src/util/go-errors.ts, src/util/go-parse.ts). */
import { describe, expect, it } from "vitest";
import { appendErrors, errorText, goError, goQuote, goQuoteList, joinErrors, joinNonNil, plainErrors, wrapError } from "../src/util/go-errors.ts";
import { goDurationMs, goUuidError, isGoDuration, parseGoUint, parseSemverTolerant } from "../src/util/go-parse.ts";

describe("Go errors", () => {
  it("formats go-multierror lists, one and many", () => {
    expect(errorText(appendErrors(undefined, goError("a")))).toBe("1 error occurred:\n\t* a\n\n");
    expect(errorText(appendErrors(goError("a"), goError("b")))).toBe("2 errors occurred:\n\t* a\n\t* b\n\n");
  });

  it("flattens an appended list but not a wrapped one (the blank lines in Omni's output)", () => {
    const inner = appendErrors(undefined, goError("x"), goError("y"));
    expect(errorText(appendErrors(goError("a"), inner))).toBe("3 errors occurred:\n\t* a\n\t* x\n\t* y\n\n");
    expect(errorText(appendErrors(goError("a"), wrapError("inner: ", inner)))).toBe("2 errors occurred:\n\t* a\n\t* inner: 2 errors occurred:\n\t* x\n\t* y\n\n\n\n");
  });

  it("joins like errors.Join and Omni's joinErrors", () => {
    expect(joinErrors([undefined, undefined])).toBeUndefined();
    expect(errorText(joinErrors([goError("a"), undefined, goError("b")])!)).toBe("a\nb");
    expect(joinNonNil(undefined, undefined)).toBeUndefined();
    expect(errorText(joinNonNil(undefined, goError("a"))!)).toBe("1 error occurred:\n\t* a\n\n");
  });

  it("lists the plain errors with their wrapping and position", () => {
    const at = { file: "t.yaml", line: 2, column: 3 };
    expect(plainErrors(wrapError("cluster: ", appendErrors(undefined, goError("bad", at))))).toEqual([{ text: "bad", context: "cluster: ", at }]);
  });

  it("quotes like %q", () => {
    expect(goQuote('a "b" \\ ü')).toBe('"a \\"b\\" \\\\ ü"');
    expect(goQuote("tab\there\u0001\u200b")).toBe('"tab\\there\\x01\\u200b"');
    expect(goQuoteList(["additional-1", "additional-2"])).toBe('["additional-1" "additional-2"]');
  });
});

describe("Go parsers", () => {
  it.each([
    ["v1.30", "1.30.0"],
    ["1.30.02", "1.30.2"],
    [" v1.12.4-rc.1 ", "1.12.4"],
  ])("blang/semver ParseTolerant accepts %j", (input, version) => {
    const parsed = parseSemverTolerant(input);
    expect(parsed.ok && `${parsed.value.major}.${parsed.value.minor}.${parsed.value.patch}`).toBe(version);
  });

  it.each([
    ["vN.2", 'Invalid character(s) found in major number "N"'],
    ["v1.3.0gamma.0", 'Invalid character(s) found in patch number "0gamma.0"'],
    ["1.x.0", 'Invalid character(s) found in minor number "x"'],
    ["1.2-rc", "Short version cannot contain PreRelease/Build meta data"],
    ["", 'strconv.ParseUint: parsing "": invalid syntax'],
    ["1.2.3-01", 'Numeric PreRelease version must not contain leading zeroes "01"'],
    ["1.2.3-a_b", 'Invalid character(s) found in prerelease "a_b"'],
    ["1.2.3+", "Build meta data is empty"],
    [".1.2", 'strconv.ParseUint: parsing "": invalid syntax'],
  ])("blang/semver ParseTolerant refuses %j", (input, error) => {
    expect(parseSemverTolerant(input)).toEqual({ ok: false, error });
  });

  it("google/uuid Parse", () => {
    expect(goUuidError("430d882a-51a8-48b3-ae00-90c5b0b5b0b0")).toBeUndefined();
    expect(goUuidError("{430d882a-51a8-48b3-ae00-90c5b0b5b0b0}")).toBeUndefined();
    expect(goUuidError("urn:uuid:430d882a-51a8-48b3-ae00-90c5b0b5b0b0")).toBeUndefined();
    expect(goUuidError("430d882a51a848b3ae0090c5b0b5b0b0")).toBeUndefined();
    expect(goUuidError("nuc-1")).toBe("invalid UUID length: 5");
    expect(goUuidError("430d882a-51a8-48b3-ae00-90c5b0b5b0bz")).toBe("invalid UUID format");
    expect(goUuidError("urx:uuid:430d882a-51a8-48b3-ae00-90c5b0b5b0b0")).toBe('invalid urn prefix: "urx:uuid:"');
  });

  it("strconv.ParseUint and time.ParseDuration", () => {
    expect(parseGoUint("42", 32)).toEqual({ ok: true, value: 42 });
    expect(parseGoUint("abc", 32)).toEqual({ ok: false, error: 'strconv.ParseUint: parsing "abc": invalid syntax' });
    expect(parseGoUint("4294967296", 32)).toEqual({ ok: false, error: 'strconv.ParseUint: parsing "4294967296": value out of range' });
    for (const d of ["12h", "2h0m0s", "1.5h", "90s", "0", "300ms"]) expect(isGoDuration(d), d).toBe(true);
    for (const d of ["12", "1d", "h", ""]) expect(isGoDuration(d), d).toBe(false);
    expect(goDurationMs("1h30m")).toBe(5_400_000);
  });
});
