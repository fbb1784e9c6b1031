/**
 * `zkmips verify proof.bin (--vkey HEX | --elf FILE)`: exits 0 only when the proof is valid for
 * that program; prints the public values (hex) and the exit code.
 */
import type { Command } from "commander";
import { ZkmipsError } from "../../errors.ts";
import { loadElf } from "../../mips/elf.ts";
import { programImage } from "../../mips/air/program.ts";
import { parseVkeyHex, verifyMips, vkeyHex } from "../../mips/air/prove.ts";
import { closeHashPool } from "../../hash/sponge.ts";
import { readFile } from "./prove.ts";

export function register(program: Command): void {
  program
    .command("verify")
    .description("verify a proof written by `zkmips prove` against a program (vkey or ELF)")
    .argument("<proof>", "proof file")
    .option("--vkey <hex>", "programVKey (0x + 64 hex digits, from `zkmips vkey`)")
    .option("--elf <file>", "guest ELF (its vkey is computed)")
    .option("--json", "print a JSON result on stdout")
    .action(async (proofPath: string, opts: { vkey?: string; elf?: string; json?: boolean }) => {
      if (!opts.vkey === !opts.elf) throw new ZkmipsError("give exactly one of --vkey and --elf");
      const file = readFile(proofPath, "proof");
      try {
        const against = opts.vkey
          ? { vkey: parseVkeyHex(opts.vkey) }
          : { program: programImage(loadElf(readFile(opts.elf!, "ELF"))) };
        const r = await verifyMips(file, against);
        const pv = Buffer.from(r.publicValues).toString("hex");
        if (opts.json)
          process.stdout.write(
            JSON.stringify({
              valid: true,
              programVKey: vkeyHex(r.vkey),
              exitCode: r.exitCode,
              publicValues: pv,
            }) + "\n",
          );
        else
          process.stdout.write(
            `valid proof\nprogramVKey  ${vkeyHex(r.vkey)}\nexit code    ${r.exitCode}\npublic values ${pv || "(none)"}\n`,
          );
      } finally {
        await closeHashPool();
      }
    });
}
