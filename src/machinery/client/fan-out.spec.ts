import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { KeelsonError } from "../errors";
import { fanOut } from "./fan-out";

describe("fanOut", () => {
  it("keeps order, isolates failures and never exceeds the concurrency bound", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (fails, limit) => {
          let running = 0;
          let peak = 0;
          const items = fails.map((fail, i) => ({ node: `n${i}`, fail }));
          const results = await fanOut(
            items,
            async (item) => {
              peak = Math.max(peak, ++running);
              await new Promise((r) => setTimeout(r, 1));
              running--;
              if (item.fail) throw new KeelsonError("unavailable", `${item.node} down`);
              return item.node;
            },
            limit,
          );
          assert.ok(peak <= limit);
          assert.deepEqual(
            results.map((r) => r.node),
            items.map((i) => i.node),
          );
          for (const [i, r] of results.entries()) assert.equal("error" in r, fails[i]);
        },
      ),
      { numRuns: 50 },
    );
  });
});
