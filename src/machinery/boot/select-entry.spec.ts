import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LoaderDirectory } from "./loader-directory";
import { type LoaderEntry, parseEntryFileName, parseEntryText } from "./loader-entry";
import { bumpedFileName, matchesPattern, selectEntry } from "./select-entry";
import { compareVersions } from "./version-compare";

/**
 * systemd-boot 252's selection and boot counting, pinned with the cases of
 * src/boot/efi/boot.c, docs/AUTOMATIC_BOOT_ASSESSMENT.md and
 * src/test/test-string-util.c (TCnn numbers: .notes/systemd-boot-rules.md,
 * whose expectations come from the C functions compiled and run).
 */
type Fields = Record<string, string>;

function entry(file: string, fields: Fields = {}): LoaderEntry {
  const parsed = parseEntryFileName(file) ?? assert.fail(`${file} is no entry`);
  return { file, ...parsed, fields };
}

function pick(
  entries: LoaderEntry[],
  conf: Fields = {},
  vars: Record<string, string> = {},
): string | undefined {
  return selectEntry(entries, conf, { get: (name) => vars[name] })?.file;
}

describe("systemd-boot entry selection", () => {
  it("TC01: without sort-keys the id decides, newest version first", () => {
    const files = ["keelson-1.2.3.conf", "keelson-1.2.10.conf", "keelson-1.10.0.conf"];
    assert.equal(pick(files.map((f) => entry(f))), "keelson-1.10.0.conf");
  });

  it("TC02: an entry with no tries left sorts after all others", () => {
    assert.equal(
      pick([entry("keelson-2.0.0+0-3.conf"), entry("keelson-1.9.0.conf")]),
      "keelson-1.9.0.conf",
    );
  });

  it("TC03/TC04: a counted entry with tries left is not demoted", () => {
    assert.equal(
      pick([entry("keelson-1.9.0+1-2.conf"), entry("keelson-2.0.0+3.conf")]),
      "keelson-2.0.0+3.conf",
    );
    assert.equal(
      pick([entry("keelson-1.9.0.conf"), entry("keelson-2.0.0+3.conf")]),
      "keelson-2.0.0+3.conf",
    );
  });

  it("TC05: Keelson's A/B walk: B is tried three times, then A boots", () => {
    const conf = { default: "keelson-*" };
    const a = entry("keelson-a.conf", { "sort-key": "keelson-2", version: "1.0.0" });
    let b = entry("keelson-b+3.conf", { "sort-key": "keelson-1", version: "1.1.0" });
    const renames: string[] = [];
    for (let boot = 1; boot <= 3; boot++) {
      assert.equal(pick([a, b], conf), b.file, `boot ${boot} takes B`);
      const next = bumpedFileName(b);
      renames.push(next);
      b = entry(next, b.fields);
    }
    assert.deepEqual(renames, ["keelson-b+2-1.conf", "keelson-b+1-2.conf", "keelson-b+0-3.conf"]);
    assert.equal(pick([a, b], conf), "keelson-a.conf", "boot 4 falls to A");
  });

  it("TC06: when every entry is spent one still boots, and its done count climbs", () => {
    const spent = entry("keelson-2.0.0+0-3.conf");
    assert.equal(pick([spent]), spent.file);
    assert.equal(bumpedFileName(spent), "keelson-2.0.0+0-4.conf");
    assert.equal(pick([spent, entry("keelson-1.9.0+0-3.conf")]), spent.file);
  });

  it("TC07/TC08: sort-key before none, and compared before version", () => {
    assert.equal(
      pick([entry("zzz-9.conf"), entry("aaa.conf", { "sort-key": "keelson", version: "1.0" })]),
      "aaa.conf",
    );
    assert.equal(
      pick([
        entry("x.conf", { "sort-key": "beta", version: "9.0" }),
        entry("y.conf", { "sort-key": "alpha", version: "1.0" }),
      ]),
      "y.conf",
    );
  });

  it("TC09/TC10: same sort-key: machine-id (missing first), then newest version, then id", () => {
    const k = (file: string, fields: Fields) => entry(file, { "sort-key": "keelson", ...fields });
    assert.equal(
      pick([k("a.conf", { version: "1.2.3" }), k("b.conf", { version: "1.2.10" })]),
      "b.conf",
    );
    assert.equal(
      pick([k("a.conf", { version: "1.2" }), k("b.conf", { version: "1.02" })]),
      "b.conf",
    );
    assert.equal(
      pick([k("a.conf", { version: "1.02" }), k("b.conf", { version: "1.2" })]),
      "b.conf",
    );
    assert.equal(
      pick([
        k("b.conf", { "machine-id": "aaaa", version: "1.0" }),
        k("c.conf", { version: "1.0" }),
      ]),
      "c.conf",
    );
    assert.equal(
      pick([
        k("b.conf", { "machine-id": "bbbb", version: "2.0" }),
        k("c.conf", { "machine-id": "aaaa", version: "1.0" }),
      ]),
      "c.conf",
    );
  });

  it("TC11 (systemd #31215): a default matching only a spent entry still boots it", () => {
    const entries = [entry("keelson-1.9.0.conf"), entry("keelson-2.0.0+0-3.conf")];
    assert.equal(pick(entries, { default: "keelson-2.0.0*" }), "keelson-2.0.0+0-3.conf");
    assert.equal(
      pick([entry("keelson-a.conf"), entry("keelson-b+0-3.conf")], { default: "keelson-b*" }),
      "keelson-b+0-3.conf",
    );
  });

  it("TC12: Keelson's default covers both slots, so order decides and the spent slot loses", () => {
    const a = entry("keelson-a.conf", { "sort-key": "keelson-2", version: "1.0.0" });
    const b = entry("keelson-b+0-3.conf", { "sort-key": "keelson-1", version: "1.1.0" });
    assert.equal(pick([a, b], { default: "keelson-*" }), "keelson-a.conf");
  });

  it("TC13/TC14: ids include the counter and .conf, so exact patterns go stale", () => {
    const conf = { default: "keelson-1.9.0+3.conf" };
    assert.equal(
      pick([entry("keelson-2.0.0.conf"), entry("keelson-1.9.0+3.conf")], conf),
      "keelson-1.9.0+3.conf",
    );
    assert.equal(
      pick([entry("keelson-2.0.0.conf"), entry("keelson-1.9.0+2-1.conf")], conf),
      "keelson-2.0.0.conf",
    );
    assert.equal(
      pick([entry("keelson-2.0.0.conf"), entry("keelson-1.9.0.conf")], {
        default: "keelson-1.9.0",
      }),
      "keelson-2.0.0.conf",
    );
  });

  it("TC15: one-shot, then the default variable, then loader.conf", () => {
    const entries = ["keelson-2.0.0.conf", "keelson-1.9.0.conf", "keelson-1.8.0.conf"].map((f) =>
      entry(f),
    );
    const conf = { default: "keelson-1.8*" };
    assert.equal(
      pick(entries, conf, {
        LoaderEntryOneShot: "keelson-1.9.0.conf",
        LoaderEntryDefault: "keelson-2.0.0.conf",
      }),
      "keelson-1.9.0.conf",
    );
    assert.equal(
      pick(
        entries,
        { default: "keelson-1.9*" },
        {
          LoaderEntryOneShot: "nomatch.conf",
          LoaderEntryDefault: "keelson-1.8*",
        },
      ),
      "keelson-1.8.0.conf",
    );
    assert.equal(
      pick(entries, { default: "keelson-1.9*" }, { LoaderEntryDefault: "nomatch*" }),
      "keelson-1.9.0.conf",
    );
  });

  it("TC16: a one-shot naming a spent entry boots it", () => {
    assert.equal(
      pick(
        [entry("keelson-a.conf"), entry("keelson-b+0-3.conf")],
        {},
        {
          LoaderEntryOneShot: "keelson-b+0-3.conf",
        },
      ),
      "keelson-b+0-3.conf",
    );
  });

  it("TC17: patterns and ids fold case; the rename keeps the file's own case", () => {
    const mixed = entry("Keelson-1.9.0+3.conf");
    assert.equal(
      pick([entry("keelson-2.0.0.conf"), mixed], { default: "KEELSON-1.9.0*.CONF" }),
      mixed.file,
    );
    assert.equal(bumpedFileName(mixed), "Keelson-1.9.0+2-1.conf");
  });

  it("TC18: malformed counters leave an entry bootable but uncounted", () => {
    const cases: [string, number | undefined, string][] = [
      ["keelson-2.0.0+x.conf", undefined, "keelson-2.0.0+x.conf"],
      ["keelson-2.0.0+3-.conf", undefined, "keelson-2.0.0+3-.conf"],
      ["keelson-2.0.0+2147483648.conf", undefined, "keelson-2.0.0+2147483648.conf"],
      ["k+3-1-2.conf", undefined, "k+3-1-2.conf"],
      ["keelson-2.0.0+03.conf", 3, "keelson-2.0.0+2-1.conf"],
      ["k+1+2.conf", 2, "k+1+1-1.conf"],
      ["k+5-2147483647.conf", 5, "k+4-2147483647.conf"],
      ["+3.conf", 3, "+2-1.conf"],
      // Debian's 252 (252.29 and later) compares the suffix without case.
      ["keelson-2.0.0+3.CONF", 3, "keelson-2.0.0+2-1.conf"],
    ];
    for (const [file, left, next] of cases) {
      const e = entry(file);
      assert.equal(e.triesLeft, left, file);
      assert.equal(bumpedFileName(e), next, file);
    }
    assert.equal(
      pick([entry("keelson-2.0.0+0.conf"), entry("keelson-1.9.0.conf")]),
      "keelson-1.9.0.conf",
    );
  });

  it("TC19: version comparison follows strverscmp_improved, not the spec's prose", () => {
    const older = (a: string, b: string) => assert.ok(compareVersions(a, b) < 0, `${a} < ${b}`);
    const same = (a: string, b: string) => assert.equal(compareVersions(a, b), 0, `${a} = ${b}`);
    for (const [a, b] of [
      ["1.2.3", "1.2.10"],
      ["1.9", "1.10"],
      ["2.0", "10"],
      ["1.2", "1.2.0"],
      ["123", "123."],
      ["123..0", "123.0"],
      ["1.2~rc1", "1.2"],
      ["1.2~rc1", "1.2~rc2"],
      ["1.2", "1.2-rc1"],
      ["1.2-rc1", "1.2.0"],
      ["1.2~rc2", "1.2-rc1"],
      ["1.2", "1.2^post"],
      ["1.2^post", "1.2.1"],
      ["1^1", "1.1"],
      ["1^1", "1a"],
      ["1-1", "1^1"],
      ["1", "1-1"],
      ["1.2", "1.2a"],
      ["1.2.a", "1.2a"],
      ["a", "1"],
      ["ABC", "abc"],
      ["1_2", "12"],
      ["1.2", "1_2"],
      ["~", ""],
      ["~", "0"],
      ["6.1.0-9", "6.1.0-10"],
    ])
      older(a as string, b as string);
    same("007", "7");
    same("1.02", "1.2");
    same("", "_");
    assert.equal(
      pick([entry("keelson-1.2.conf"), entry("keelson-1.2-rc1.conf")]),
      "keelson-1.2.conf",
    );
  });

  it("TC20: a counted and an uncounted copy of one name: the counted sorts first", () => {
    assert.equal(pick([entry("keelson.conf"), entry("keelson+3.conf")]), "keelson+3.conf");
  });

  it("TC21: hidden files, auto- names and other suffixes are no entries", () => {
    const root = mkdtempSync(join(tmpdir(), "keelson-esp-"));
    try {
      const dir = join(root, "loader", "entries");
      mkdirSync(dir, { recursive: true });
      for (const file of [
        "auto-keelson.conf",
        ".keelson.conf",
        "keelson.txt",
        "Auto-x.conf",
        "KEELSON.CONF",
      ])
        writeFileSync(join(dir, file), "title x\n");
      mkdirSync(join(dir, "folder.conf"));
      const files = new LoaderDirectory(root).entries().map((e) => e.file);
      assert.deepEqual(files.sort(), ["Auto-x.conf", "KEELSON.CONF"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("TC22/TC24: a missing version sorts last; a spent entry after entries without a sort-key", () => {
    assert.equal(
      pick([
        entry("a.conf", { "sort-key": "k" }),
        entry("b.conf", { "sort-key": "k", version: "0" }),
      ]),
      "b.conf",
    );
    assert.equal(
      pick([
        entry("keelson-2.0.0+0-3.conf", { "sort-key": "keelson" }),
        entry("other.conf"),
        entry("keelson-1.0.0.conf", { "sort-key": "keelson" }),
      ]),
      "keelson-1.0.0.conf",
    );
  });

  it("TC23: an @ default systemd-boot does not support is ignored", () => {
    assert.equal(
      pick([entry("keelson-1.0.conf"), entry("keelson-2.0.conf")], { default: "@foo" }),
      "keelson-2.0.conf",
    );
  });

  it("glob: sets with ranges and no negation, escapes, anchoring", () => {
    assert.ok(matchesPattern("keelson-2.0.0+1-2.conf", "keelson-2.0.0+[1-9]*.conf"));
    assert.ok(!matchesPattern("keelson-2.0.0+0-3.conf", "keelson-2.0.0+[1-9]*.conf"));
    assert.ok(matchesPattern("^.conf", "[^x].conf"), "^ is a member, not a negation");
    assert.ok(!matchesPattern("y.conf", "[^x].conf"));
    assert.ok(matchesPattern("]a", "[]]a"));
    assert.ok(matchesPattern("*.conf", "\\*.conf"));
    assert.ok(!matchesPattern("x.conf", "\\*.conf"));
    assert.ok(!matchesPattern("a", "[a"), "an unterminated set matches nothing");
    assert.ok(!matchesPattern("keelson-2.0.0.conf", "keelson-2.0.0"));
  });

  it("entry text: CR line ends, quotes, options joined, the last of other keys", () => {
    assert.deepEqual(
      parseEntryText('title "Keelson"\rversion 1\nversion 2\noptions a\noptions  b\n# x y\n'),
      {
        title: "Keelson",
        version: "2",
        options: "a b",
      },
    );
  });
});
