import { UpgradeFixture } from "./upgrade-fixture";

/**
 * An upgrade to kill: runs the agent's upgrade (write, check, arm; staged)
 * against the node state of a fixture in another process, which the kill
 * property test SIGKILLs at a random moment. Prints "go" as it starts.
 */
const [dir, bundle] = process.argv.slice(2);
if (!dir || !bundle) throw new Error("usage: upgrade-victim FIXTURE-DIR BUNDLE");
const fixture = UpgradeFixture.at(dir);
process.stdout.write("go\n");
await fixture.upgrades().run(
  {
    source: { kind: "path", path: bundle },
    stage: true,
    tries: 3,
    forceDowngrade: false,
    actor: "victim",
    admin: false,
  },
  () => {},
  new AbortController().signal,
);
process.stdout.write("done\n");
