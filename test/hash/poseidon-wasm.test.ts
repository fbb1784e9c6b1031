import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

describe("Poseidon WASM module", () => {
  const asc = join(root, "node_modules", ".bin", "asc");
  (existsSync(asc) ? it : it.skip)(
    "the committed module is exactly what scripts/build-wasm.sh builds from the committed sources",
    function () {
      this.timeout(120_000);
      const dir = mkdtempSync(join(tmpdir(), "zkmips-wasm-"));
      try {
        const out = join(dir, "poseidon.wasm.ts");
        execFileSync("bash", [join(root, "scripts", "build-wasm.sh"), out], { cwd: root, stdio: "pipe" });
        const committed = readFileSync(join(root, "src", "hash", "wasm", "poseidon.wasm.ts"), "utf8");
        const fresh = readFileSync(out, "utf8") === committed;
        expect(fresh, "src/hash/wasm/poseidon.wasm.ts is stale: run scripts/build-wasm.sh").to.equal(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
